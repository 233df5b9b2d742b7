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
  q = sim_csv_put_uint(q, (uint64_t)p->replication + 1);
  *q++ = ',';
  q = sim_csv_put_uint(q, j->customer);
  *q++ = ',';
  memcpy(q, cls, cls_len);
  q += cls_len;
  *q++ = ',';
  q = sim_csv_put_num(q, j->arrived);
  *q++ = ',';
  size_t outcome_len = strlen(outcomes[j->outcome]);
  memcpy(q, outcomes[j->outcome], outcome_len);
  q += outcome_len;
  *q++ = ',';
  q = sim_csv_put_num(q, j->wait);
  *q++ = ',';
  q = sim_csv_put_num(q, j->sojourn);
  *q++ = ',';
  q = sim_csv_put_uint(q, j->visits);
  *q++ = ',';
  q = sim_csv_put_uint(q, j->handoffs);
  *q++ = ',';
  q = sim_csv_put_uint(q, j->retrials);
  *q++ = ',';
  if (!isnan(satisfaction))
    q = sim_csv_put_num(q, satisfaction);
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

struct sim_csv *cli_trace_finish(struct cli_trace *t, char *err, size_t errlen)
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
  if (why) {
    snprintf(err, errlen, "%s", why);
    sim_csv_abort(&t->out);
    return NULL;
  }
  return &t->out;
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
