#include "cli/trace.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/check.h"

static const char *const columns[] = {
  "replication", "customer", "class", "arrived", "outcome", "wait", "sojourn",
  "visits", "handoffs", "retrials", "satisfaction", NULL};

static const char *const outcomes[] = {
  [MODEL_SERVED] = "served", [MODEL_ABANDONED] = "abandoned",
  [MODEL_BALKED] = "balked", [MODEL_BLOCKED] = "blocked",
  [MODEL_SENT_AWAY] = "sent_away"};

/* ---- numbers -------------------------------------------------------------
 * A trace has one row per customer, and printf's conversion of doubles was
 * most of a traced run's time. These write exactly what sim_csv_num writes
 * (whole numbers in full, others as "%.10g"), byte for byte, without printf
 * for the values a trace holds: the digits come from exact integer
 * arithmetic on the double's bits, rounded to nearest with ties to even as
 * printf rounds, so the output is the same on every run and machine.
 * Values outside the fast range (below 1e-4, at least 1e10, not finite)
 * go to sim_csv_format_num. */

static const char digit_pairs[201] =
  "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
  "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
  "8081828384858687888990919293949596979899";

static const uint64_t pow10_table[] = {
  1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL,
  100000000ULL, 1000000000ULL, 10000000000ULL, 100000000000ULL,
  1000000000000ULL, 10000000000000ULL, 100000000000000ULL,
  1000000000000000ULL, 10000000000000000ULL, 100000000000000000ULL,
  1000000000000000000ULL, 10000000000000000000ULL};

/* How many decimal digits x has (1 for 0): t = floor(bits log10 2) from
 * the bit length (1233 / 4096 is log10 2 to within 1e-4), then one
 * comparison. x | 1 has as many digits as x and is never 0. */
static int digit_count(uint64_t x)
{
  uint64_t y = x | 1;
  int t = ((64 - __builtin_clzll(y)) * 1233) >> 12;
  return t + 1 - (y < pow10_table[t]);
}

/* The n lowest decimal digits of x < 10^8, ending just before end, two at
 * a time in 32-bit arithmetic. */
static void put_digits32(char *end, uint32_t x, int n)
{
  while (n >= 2) {
    uint32_t pair = x % 100;
    x /= 100;
    end -= 2;
    memcpy(end, digit_pairs + 2 * pair, 2);
    n -= 2;
  }
  if (n)
    *--end = (char)('0' + x % 10);
}

/* Writes the n lowest decimal digits of x so that they end just before
 * end. */
static void put_digits(char *end, uint64_t x, int n)
{
  while (n > 8) {
    put_digits32(end, (uint32_t)(x % 100000000), 8);
    x /= 100000000;
    end -= 8;
    n -= 8;
  }
  put_digits32(end, (uint32_t)(x < 100000000 ? x : x % 100000000), n);
}

/* The five decimal digits of x < 100000, leading zeros included. */
static void put_five(char *p, uint32_t x)
{
  p[0] = (char)('0' + x / 10000);
  uint32_t rest = x % 10000;
  memcpy(p + 1, digit_pairs + 2 * (rest / 100), 2);
  memcpy(p + 3, digit_pairs + 2 * (rest % 100), 2);
}

/* Writes the decimal digits of x at p; returns the end. */
static char *put_uint(char *p, uint64_t x)
{
  int n = digit_count(x);
  put_digits(p + n, x, n);
  return p + n;
}

/* x with 10 significant digits as "%.10g" prints it, for 1e-4 <= x < 1e10
 * and x not whole. Returns NULL when x lies outside that range after
 * rounding (the caller falls back to printf). */
static char *put_g10(char *p, double x)
{
  uint64_t bits;
  memcpy(&bits, &x, sizeof bits);
  int biased = (int)((bits >> 52) & 0x7ff);
  uint64_t mantissa = (bits & ((1ULL << 52) - 1)) | (1ULL << 52);
  int shift = 1075 - biased;   /* x = mantissa / 2^shift */
  if (biased == 0 || shift <= 0 || shift > 70)
    return NULL;
  /* Decimal exponent k (10^k <= x < 10^(k+1)): floor(e log10 2) for the
   * binary exponent e (78913 / 2^18 is log10 2 to within 1e-7, exact for
   * |e| < 2600), corrected by the exact digit count below. */
  int k = ((biased - 1023) * 78913) >> 18;
  unsigned __int128 scaled = 0;
  uint64_t digits = 0;
  for (int tries = 0; tries < 3; tries++) {
    if (k < -4 || k > 9)
      return NULL;
    scaled = (unsigned __int128)mantissa * pow10_table[9 - k];
    digits = (uint64_t)(scaled >> shift);
    if (digits >= pow10_table[10])
      k++;
    else if (digits < pow10_table[9])
      k--;
    else
      break;
  }
  if (digits < pow10_table[9] || digits >= pow10_table[10])
    return NULL;
  unsigned __int128 rest = scaled & (((unsigned __int128)1 << shift) - 1);
  unsigned __int128 half = (unsigned __int128)1 << (shift - 1);
  if (rest > half || (rest == half && (digits & 1)))
    digits++;
  if (digits == pow10_table[10]) {   /* 9.9999999996 -> 10.00000000 */
    digits = pow10_table[9];
    if (++k > 9)
      return NULL;
  }
  /* Fixed notation with 9 - k decimals, trailing zeros dropped: the ten
   * digits first (unrolled, two at a time), then placed around the point. */
  char ten[10];
  put_five(ten, (uint32_t)(digits / 100000));
  put_five(ten + 5, (uint32_t)(digits % 100000));
  int n = 10, decimals = 9 - k;
  while (decimals > 0 && ten[n - 1] == '0') {
    n--;
    decimals--;
  }
  if (k >= 0) {   /* ddd.ddd: k + 1 digits before the point */
    memcpy(p, ten, (size_t)k + 1);
    p += k + 1;
    if (decimals) {
      *p++ = '.';
      memcpy(p, ten + k + 1, (size_t)decimals);
      p += decimals;
    }
    return p;
  }
  *p++ = '0';   /* 0.000ddd: -k - 1 zeros after the point */
  *p++ = '.';
  for (int i = 0; i < -k - 1; i++)
    *p++ = '0';
  memcpy(p, ten, (size_t)n);
  return p + n;
}

char *cli_trace_put_num(char *p, double x)
{
  double magnitude = fabs(x);
  if (magnitude < 1e15 && x == (double)(int64_t)x) {   /* whole: in full, no "-0" */
    if (x < 0)
      *p++ = '-';
    return put_uint(p, (uint64_t)magnitude);
  }
  if (magnitude >= 1e-4 && magnitude < 1e10) {
    char *q = p;
    if (x < 0)
      *q++ = '-';
    q = put_g10(q, magnitude);
    if (q)
      return q;
  }
  char buf[32];
  sim_csv_format_num(buf, x);
  size_t n = strlen(buf);
  memcpy(p, buf, n);
  return p + n;
}

/* ---- rows ----------------------------------------------------------------
 * A row is assembled in memory and written with one fwrite. Class names
 * are quoted for CSV once, at the start. */

/* Text as one CSV field (quoted when it holds a comma, quote or newline). */
static char *csv_field(const char *s)
{
  size_t n = strlen(s), quotes = 0;
  for (size_t i = 0; i < n; i++)
    quotes += s[i] == '"';
  if (strpbrk(s, ",\"\r\n") == NULL)
    return sim_xstrdup(s);
  char *out = sim_xmalloc(n + quotes + 3), *p = out;
  *p++ = '"';
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '"')
      *p++ = '"';
    *p++ = s[i];
  }
  *p++ = '"';
  *p = '\0';
  return out;
}

/* A row could not be written (disk full, say): the error is noted with
 * its errno now, while it is still the write's (sim_csv would otherwise
 * find only the stream's error flag at close), and later rows are
 * skipped. */
static void note_write_error(struct sim_csv *csv)
{
  csv->failed = 1;
  snprintf(csv->error, sizeof csv->error, "cannot write '%s': %s", csv->tmp_path,
           strerror(errno));
}

/* The longest row: 3 integers of 20 digits and 4 numbers of 31 characters,
 * the outcome, commas and a newline, plus the class name. */
#define ROW_FIXED 256

static void write_journey(void *ctx, const struct model_journey *j,
                          double satisfaction)
{
  struct cli_trace_piece *p = ctx;
  struct cli_trace *t = p->trace;
  struct sim_csv *csv = p->direct ? &t->out : &p->csv;
  FILE *out = csv->file;
  if (!out || csv->failed)
    return;
  const char *cls = t->class_fields[j->cls];
  size_t cls_len = strlen(cls);
  char stack[ROW_FIXED + 128];
  char *row = cls_len <= 128 ? stack : sim_xmalloc(ROW_FIXED + cls_len);
  char *q = row;
  q = put_uint(q, (uint64_t)p->replication + 1);
  *q++ = ',';
  q = put_uint(q, j->customer);
  *q++ = ',';
  memcpy(q, cls, cls_len);
  q += cls_len;
  *q++ = ',';
  q = cli_trace_put_num(q, j->arrived);
  *q++ = ',';
  size_t outcome_len = strlen(outcomes[j->outcome]);
  memcpy(q, outcomes[j->outcome], outcome_len);
  q += outcome_len;
  *q++ = ',';
  q = cli_trace_put_num(q, j->wait);
  *q++ = ',';
  q = cli_trace_put_num(q, j->sojourn);
  *q++ = ',';
  q = put_uint(q, j->visits);
  *q++ = ',';
  q = put_uint(q, j->handoffs);
  *q++ = ',';
  q = put_uint(q, j->retrials);
  *q++ = ',';
  if (!isnan(satisfaction))
    q = cli_trace_put_num(q, satisfaction);
  *q++ = '\n';
  if (fwrite(row, 1, (size_t)(q - row), out) != (size_t)(q - row))
    note_write_error(csv);
  if (row != stack)
    free(row);
}

/* ---- pieces and the final file --------------------------------------------
 * customers.csv is opened at the start. The replication next in order writes
 * straight into it; one that starts while another is writing there (with
 * --jobs above 1) streams into a piece file of its own, which is appended
 * when its turn comes. With --jobs 1 every row is therefore written once. */

void cli_trace_init(struct cli_trace *t, const struct model *m, const char *dir,
                    size_t replications)
{
  *t = (struct cli_trace){.model = m, .dir = dir, .n = replications};
  t->pieces = sim_xcalloc(replications, sizeof *t->pieces);
  t->class_fields = sim_xcalloc(m->nclasses, sizeof *t->class_fields);
  for (size_t c = 0; c < m->nclasses; c++)
    t->class_fields[c] = csv_field(m->classes[c].name);
  pthread_mutex_init(&t->lock, NULL);
  if (sim_csv_open(&t->out, dir, "customers.csv") == 0)
    sim_csv_header(&t->out, columns);
}

struct model_journey_sink cli_trace_begin(struct cli_trace *t, size_t replication)
{
  struct cli_trace_piece *p = &t->pieces[replication];
  p->trace = t;
  p->replication = replication;
  p->opened = 1;
  pthread_mutex_lock(&t->lock);
  p->direct = !t->direct_busy && replication == t->next_direct;
  if (p->direct)
    t->direct_busy = true;
  pthread_mutex_unlock(&t->lock);
  if (p->direct)
    return (struct model_journey_sink){write_journey, p};
  char name[64];
  snprintf(name, sizeof name, "customers.csv.%zu", replication + 1);
  if (sim_csv_open(&p->csv, t->dir, name) != 0)
    return (struct model_journey_sink){NULL, NULL};
  return (struct model_journey_sink){write_journey, p};
}

/* Appends the finished pieces that are next in order (lock held). */
static void append_ready_pieces(struct cli_trace *t)
{
  while (t->next_direct < t->n) {
    struct cli_trace_piece *p = &t->pieces[t->next_direct];
    if (!p->done)
      return;
    if (!p->direct && !t->failed_piece &&
        (p->csv.failed || sim_csv_append_piece(&t->out, &p->csv) != 0)) {
      t->failed_piece = p;
      /* A failed copy into customers.csv leaves only the stream's error
       * flag: note the cause while errno is still the write's. */
      if (!p->csv.failed && !t->out.failed)
        note_write_error(&t->out);
    }
    t->next_direct++;
  }
}

void cli_trace_end(struct cli_trace *t, size_t replication)
{
  struct cli_trace_piece *p = &t->pieces[replication];
  if (!p->direct && p->csv.file)
    sim_csv_close_piece(&p->csv);
  pthread_mutex_lock(&t->lock);
  p->done = 1;
  if (p->direct)
    t->direct_busy = false;
  append_ready_pieces(t);
  pthread_mutex_unlock(&t->lock);
}

int cli_trace_finish(struct cli_trace *t, char *err, size_t errlen)
{
  pthread_mutex_lock(&t->lock);
  append_ready_pieces(t);
  pthread_mutex_unlock(&t->lock);
  const char *why = NULL;
  if (t->out.failed || !t->out.file)
    why = t->out.error;
  else if (t->failed_piece)
    why = t->failed_piece->csv.failed ? t->failed_piece->csv.error : t->out.error;
  else if (t->next_direct < t->n)
    why = "a replication's customers are missing";
  if (why || sim_csv_commit(&t->out) != 0) {
    snprintf(err, errlen, "%s", why ? why : t->out.error);
    sim_csv_abort(&t->out);
    return -1;
  }
  return 0;
}

void cli_trace_fini(struct cli_trace *t)
{
  for (size_t r = 0; r < t->n; r++)
    if (t->pieces[r].opened && !t->pieces[r].direct)
      sim_csv_abort(&t->pieces[r].csv);
  sim_csv_abort(&t->out);
  for (size_t c = 0; c < t->model->nclasses; c++)
    free(t->class_fields[c]);
  free(t->class_fields);
  free(t->pieces);
  pthread_mutex_destroy(&t->lock);
  t->pieces = NULL;
  t->class_fields = NULL;
}
