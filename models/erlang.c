#include "models/erlang.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "sim/check.h"

void model_erlang_c(const struct model_erlang_queue *q, uint32_t c, double within,
                    struct model_erlang_measures *out)
{
  double a = q->rate * q->service_mean;   /* offered load in Erlangs */
  out->abandoned = 0;
  if (q->rate <= 0) {
    *out = (struct model_erlang_measures){1, 0, 0, 0};
    return;
  }
  if ((double)c <= a) {
    *out = (struct model_erlang_measures){0, 0, INFINITY, 1};
    return;
  }
  /* C(c, a) = T / (sum_{k<c} a^k/k! + T) with T = a^c/c! * c/(c-a). The
   * terms are summed relative to a^c/c!, from k = c-1 down, so no power
   * or factorial is formed; once they pass 1e300 the probability of
   * waiting is below 1e-297 and taken as 0. */
  double ratio = 1, sum = 0;
  bool vanishes = false;
  for (uint32_t k = c; k-- > 0;) {
    ratio *= (double)(k + 1) / a;
    sum += ratio;
    if (sum > 1e300) {
      vanishes = true;
      break;
    }
  }
  double tail = (double)c / ((double)c - a);
  double p_wait = vanishes ? 0 : tail / (sum + tail);
  double drain = (double)c / q->service_mean - q->rate;  /* c mu - lambda */
  out->p_wait = p_wait;
  out->service_level = 1 - p_wait * exp(-drain * within);
  out->wait_mean = p_wait / drain;
}

/* Erlang A. An arrival that finds k callers waiting ahead of it (all c
 * servers busy) moves up one place at rate r_k = c mu + k theta (a service
 * ends or one of the k ahead hangs up) and hangs up itself at rate theta.
 * Each stage lasts Exp(r_k + theta) whichever way it ends, so it reaches a
 * server with probability g_k = prod_{i<=k} r_i / (r_i + theta), after a
 * hypo-exponential time. Its distribution is taken by uniformising the
 * chain of "places ahead" for all k at once, weighted by the probability
 * an arrival finds k ahead (PASTA). */
void model_erlang_a(const struct model_erlang_queue *q, uint32_t c, double within,
                    struct model_erlang_measures *out)
{
  if (!(q->patience_mean < INFINITY)) {
    model_erlang_c(q, c, within, out);
    return;
  }
  if (q->rate <= 0) {
    *out = (struct model_erlang_measures){1, 0, 0, 0};
    return;
  }
  double mu = 1 / q->service_mean, theta = 1 / q->patience_mean;
  double lambda = q->rate;
  /* log pi_n of the birth-death chain, n = 0, 1, ...: births lambda,
   * deaths min(n, c) mu + max(n - c, 0) theta. Stops once past c, past the
   * mode and 36 nats (1e-16) below the largest. */
  size_t cap = 1024, n = 1;
  double *logp = sim_xmalloc(cap * sizeof *logp);
  logp[0] = 0;
  double top = 0;
  for (;; n++) {
    if (n == cap)
      logp = sim_xrealloc(logp, cap *= 2, sizeof *logp);
    double death = n <= c ? (double)n * mu : c * mu + (double)(n - c) * theta;
    logp[n] = logp[n - 1] + log(lambda / death);
    if (logp[n] > top)
      top = logp[n];
    if (n > c && logp[n] < logp[n - 1] && logp[n] < top - 36)
      break;
    sim_assert(n < (size_t)c + 100000000u);
  }
  size_t states = n + 1;
  double z = 0, idle = 0;
  for (size_t i = 0; i < states; i++) {
    double p = exp(logp[i] - top);
    z += p;
    if (i < c)
      idle += p;
  }
  /* x[k]: an arrival finds k waiting ahead (n = c + k in the system). */
  size_t places = states - c;
  double *x = sim_xmalloc(places * sizeof *x);
  double *next = sim_xmalloc(places * sizeof *next);
  double served_waiting = 0, abandoned = 0, wait_served = 0, g = 1, stages = 0;
  for (size_t k = 0; k < places; k++) {
    double r = c * mu + (double)k * theta;
    g *= r / (r + theta);
    stages += 1 / (r + theta);
    x[k] = exp(logp[c + k] - top) / z;
    served_waiting += x[k] * g;
    abandoned += x[k] * (1 - g);
    wait_served += x[k] * g * stages;
  }
  double p_idle = idle / z, p_wait = 1 - p_idle;

  /* P(reach a server within `within`): uniformised at the largest exit
   * rate, s_j = P(served within j jumps), weighted by Poisson(j; big). */
  double uniform = c * mu + (double)places * theta;
  double big = uniform * within, served_by = 0;
  if (within > 0 && c > 0) {
    double s = 0, weight_sum = 0;
    for (size_t j = 0;; j++) {
      double w = exp(-big + (double)j * log(big) - lgamma((double)j + 1));
      served_by += w * s;
      weight_sum += w;
      if ((double)j > big && 1 - weight_sum < 1e-13)
        break;
      if (j > big + 50 * sqrt(big) + 100)
        break;   /* the rest of the Poisson weight is below rounding */
      s += x[0] * c * mu / uniform;
      for (size_t k = 0; k < places; k++) {
        double r = c * mu + (double)k * theta;
        double up = k + 1 < places ? x[k + 1] * (r + theta) / uniform : 0;
        next[k] = x[k] * (1 - (r + theta) / uniform) + up;
      }
      /* The chain moves one place up at rate r_{k+1} = r_k + theta. */
      double *tmp = x;
      x = next;
      next = tmp;
    }
  }
  out->p_wait = p_wait;
  out->abandoned = abandoned;
  out->service_level = p_idle + served_by;
  out->wait_mean = wait_served / (p_idle + served_waiting);
  free(x);
  free(next);
  free(logp);
}

int model_erlang_meets(const struct model_erlang_measures *m,
                       const struct model_erlang_target *t)
{
  /* An unstable queue (Erlang C with c <= load) or nobody served never
   * meets a plan, whatever is asked. */
  if (!(m->wait_mean < INFINITY))
    return 0;
  if (!isnan(t->service_level) && !(m->service_level >= t->service_level))
    return 0;
  if (!isnan(t->abandoned) && !(m->abandoned <= t->abandoned))
    return 0;
  if (!isnan(t->wait_mean) && !(m->wait_mean <= t->wait_mean))
    return 0;
  return 1;
}

/* Every measure improves with c, so the smallest c is found by bisection. */
uint32_t model_erlang_staff(const struct model_erlang_queue *q, int erlang_a,
                            const struct model_erlang_target *t,
                            uint32_t min_staff, uint32_t max_staff)
{
  if (q->rate <= 0)
    return min_staff;
  uint32_t lo = min_staff, hi = max_staff + 1;   /* answer in [lo, hi] */
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    struct model_erlang_measures m;
    if (erlang_a)
      model_erlang_a(q, mid, t->within, &m);
    else
      model_erlang_c(q, mid, t->within, &m);
    if (model_erlang_meets(&m, t))
      hi = mid;
    else
      lo = mid + 1;
  }
  return lo;
}
