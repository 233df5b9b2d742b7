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

/* ---- rows ----------------------------------------------------------------
 * Rows are assembled in the piece's own buffer and handed to the stream
 * TRACE_BUFFER bytes at a time, not with a call to stdio per row. Class
 * names are quoted for CSV once, at the start. */

/* Outcomes padded to 16 bytes: a row copies all 16 and keeps len. */
static const struct {
  char text[16];
  size_t len;
} outcomes[] = {
  [MODEL_SERVED] = {"served", 6}, [MODEL_ABANDONED] = {"abandoned", 9},
  [MODEL_BALKED] = {"balked", 6}, [MODEL_BLOCKED] = {"blocked", 7},
  [MODEL_SENT_AWAY] = {"sent_away", 9}};

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

/* The longest row: 5 integers of 20 digits and 4 numbers of 31
 * characters, the outcome, commas and a newline (244 bytes), plus the
 * class name; with room for what the formatters and the outcome's copy
 * may write past their text's end (sim/csv.h). */
#define ROW_FIXED 320
#define TRACE_BUFFER 65536
/* customers.csv is handed to the disk every so many bytes
 * (sim_csv_write_back): its sync at the end then waits for the last of
 * them only. */
#define TRACE_WRITE_BACK ((size_t)8 << 20)

static struct sim_csv *piece_csv(struct cli_trace_piece *p)
{
  return p->direct ? &p->trace->out : &p->csv;
}

/* Hands the buffered rows to the piece's stream. */
static void flush_rows(struct cli_trace_piece *p)
{
  struct sim_csv *csv = piece_csv(p);
  if (p->used && csv->file && !csv->failed &&
      fwrite(p->rows, 1, p->used, csv->file) != p->used)
    note_write_error(csv);
  /* Pieces are not synced: only customers.csv itself is written back. */
  if (p->direct && (p->unsynced += p->used) >= TRACE_WRITE_BACK) {
    sim_csv_write_back(csv);
    p->unsynced = 0;
  }
  p->used = 0;
}

/* Flattened: the formatters' calls inlined (with link-time optimisation
 * across sim/numfmt.c), which spares each of a row's nine numbers a call
 * that saved and restored six registers. */
__attribute__((flatten))
static void write_journey(void *ctx, const struct model_journey *j, double satisfaction)
{
  struct cli_trace_piece *p = ctx;
  struct cli_trace *t = p->trace;
  char *row = p->rows + p->used, *q = row;
  q = sim_csv_put_uint(q, (uint64_t)p->replication + 1);
  *q++ = ',';
  q = sim_csv_put_uint(q, j->customer);
  *q++ = ',';
  memcpy(q, t->class_fields[j->cls], t->class_lens[j->cls]);
  q += t->class_lens[j->cls];
  *q++ = ',';
  q = sim_csv_put_num(q, j->arrived);
  *q++ = ',';
  memcpy(q, outcomes[j->outcome].text, 16);
  q += outcomes[j->outcome].len;
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
  p->used += (size_t)(q - row);
  if (p->used >= TRACE_BUFFER)
    flush_rows(p);
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
  t->class_lens = sim_xcalloc(m->nclasses, sizeof *t->class_lens);
  for (size_t c = 0; c < m->nclasses; c++) {
    t->class_fields[c] = csv_field(m->classes[c].name);
    t->class_lens[c] = strlen(t->class_fields[c]);
    if (t->class_lens[c] > t->longest_class)
      t->longest_class = t->class_lens[c];
  }
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
  /* a full buffer is flushed after the row that filled it */
  p->rows = sim_xmalloc(TRACE_BUFFER + ROW_FIXED + t->longest_class);
  p->used = p->unsynced = 0;
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
    if (!p->direct)
      sim_csv_write_back(&t->out);
    t->next_direct++;
  }
}

void cli_trace_end(struct cli_trace *t, size_t replication)
{
  struct cli_trace_piece *p = &t->pieces[replication];
  flush_rows(p);
  free(p->rows);
  p->rows = NULL;
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
  for (size_t r = 0; r < t->n; r++) {
    if (t->pieces[r].opened && !t->pieces[r].direct)
      sim_csv_abort(&t->pieces[r].csv);
    free(t->pieces[r].rows);
  }
  sim_csv_abort(&t->out);
  for (size_t c = 0; c < t->model->nclasses; c++)
    free(t->class_fields[c]);
  free(t->class_fields);
  free(t->class_lens);
  free(t->pieces);
  pthread_mutex_destroy(&t->lock);
  t->pieces = NULL;
  t->class_fields = NULL;
  t->class_lens = NULL;
}
