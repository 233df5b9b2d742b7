#include "cli/trace.h"

#include <stdio.h>
#include <stdlib.h>

#include "sim/check.h"

static const char *const columns[] = {
  "replication", "customer", "class", "arrived", "outcome", "wait", "sojourn",
  "visits", "handoffs", "retrials", "satisfaction", NULL};

static const char *const outcomes[] = {
  [MODEL_SERVED] = "served", [MODEL_ABANDONED] = "abandoned",
  [MODEL_BALKED] = "balked", [MODEL_BLOCKED] = "blocked",
  [MODEL_SENT_AWAY] = "sent_away"};

void cli_trace_init(struct cli_trace *t, const struct model *m, const char *dir,
                    size_t replications)
{
  t->model = m;
  t->dir = dir;
  t->n = replications;
  t->pieces = sim_xcalloc(replications, sizeof *t->pieces);
}

static void write_journey(void *ctx, const struct model_journey *j,
                          double satisfaction)
{
  struct cli_trace_piece *p = ctx;
  struct sim_csv *c = &p->csv;
  sim_csv_int(c, (int64_t)p->replication + 1);
  sim_csv_int(c, (int64_t)j->customer);
  sim_csv_str(c, p->trace->model->classes[j->cls].name);
  sim_csv_num(c, j->arrived);
  sim_csv_str(c, outcomes[j->outcome]);
  sim_csv_num(c, j->wait);
  sim_csv_num(c, j->sojourn);
  sim_csv_int(c, j->visits);
  sim_csv_int(c, j->handoffs);
  sim_csv_int(c, j->retrials);
  sim_csv_num(c, satisfaction);
  sim_csv_end_row(c);
}

struct model_journey_sink cli_trace_begin(struct cli_trace *t, size_t replication)
{
  struct cli_trace_piece *p = &t->pieces[replication];
  char name[64];
  snprintf(name, sizeof name, "customers.csv.%zu", replication + 1);
  p->trace = t;
  p->replication = replication;
  p->opened = 1;
  if (sim_csv_open(&p->csv, t->dir, name) != 0)
    return (struct model_journey_sink){NULL, NULL};
  return (struct model_journey_sink){write_journey, p};
}

void cli_trace_end(struct cli_trace *t, size_t replication)
{
  struct cli_trace_piece *p = &t->pieces[replication];
  if (p->csv.file)
    sim_csv_close_piece(&p->csv);
}

int cli_trace_finish(struct cli_trace *t, char *err, size_t errlen)
{
  struct sim_csv out;
  if (sim_csv_open(&out, t->dir, "customers.csv") != 0) {
    snprintf(err, errlen, "%s", out.error);
    sim_csv_abort(&out);
    return -1;
  }
  sim_csv_header(&out, columns);
  for (size_t r = 0; r < t->n; r++) {
    struct cli_trace_piece *p = &t->pieces[r];
    if (!p->opened || sim_csv_append_piece(&out, &p->csv) != 0) {
      if (!p->opened)
        snprintf(err, errlen, "the customer trace of replication %zu was never "
                              "written", r + 1);
      else
        snprintf(err, errlen, "%s", out.error);
      sim_csv_abort(&out);
      return -1;
    }
  }
  if (sim_csv_commit(&out) != 0) {
    snprintf(err, errlen, "%s", out.error);
    sim_csv_abort(&out);
    return -1;
  }
  return 0;
}

void cli_trace_fini(struct cli_trace *t)
{
  for (size_t r = 0; r < t->n; r++)
    if (t->pieces[r].opened)
      sim_csv_abort(&t->pieces[r].csv);
  free(t->pieces);
  t->pieces = NULL;
}
