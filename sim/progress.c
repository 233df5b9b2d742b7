#include "sim/progress.h"

#include <time.h>
#include <unistd.h>

double sim_progress_now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void sim_progress_init(struct sim_progress *p, const char *what, int enabled)
{
  bool on = enabled > 0 || (enabled < 0 && isatty(STDERR_FILENO));
  p->out = on ? stderr : NULL;
  p->what = what;
  p->started = sim_progress_now();
  p->drawn = false;
}

static void duration(char *buf, size_t n, double s)
{
  if (s < 60)
    snprintf(buf, n, "%.1f s", s);
  else if (s < 3600)
    snprintf(buf, n, "%d min %02d s", (int)(s / 60), (int)s % 60);
  else
    snprintf(buf, n, "%d h %02d min", (int)(s / 3600), (int)(s / 60) % 60);
}

void sim_progress_update(void *ctx, size_t done, size_t total)
{
  struct sim_progress *p = ctx;
  if (!p->out)
    return;
  double elapsed = sim_progress_now() - p->started;
  char el[32], left[32] = "";
  duration(el, sizeof el, elapsed);
  if (done > 0 && done < total) {
    char d[24];
    duration(d, sizeof d, elapsed / (double)done * (double)(total - done));
    snprintf(left, sizeof left, "  ~%s left", d);
  }
  char rate[32] = "";
  if (done > 0 && elapsed > 0)
    snprintf(rate, sizeof rate, "  %.1f/s", (double)done / elapsed);
  fprintf(p->out, "\r\033[K%s %zu/%zu%s  %s elapsed%s", p->what, done, total, rate,
          el, left);
  fflush(p->out);
  p->drawn = true;
}

void sim_progress_fini(struct sim_progress *p)
{
  if (p->out && p->drawn)
    fputc('\n', p->out);
  p->drawn = false;
}
