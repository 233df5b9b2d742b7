/*
 * cli/trace.h — customers.csv: one row per customer journey.
 *
 * Each replication streams its journeys into a piece file of its own (see
 * sim_csv_close_piece) as they end, so memory stays bounded however many
 * customers there are, and threads never share a file. When every
 * replication is done the pieces are joined in replication order into
 * customers.csv, which is, like every output, written under a temporary
 * name and renamed when complete.
 */
#ifndef LOKET_CLI_TRACE_H
#define LOKET_CLI_TRACE_H

#include <stddef.h>

#include "models/metrics.h"
#include "models/model.h"
#include "sim/csv.h"

struct cli_trace_piece {
  struct sim_csv csv;
  const struct cli_trace *trace;
  size_t replication;
  int opened;
};

struct cli_trace {
  const struct model *model;
  const char *dir;
  size_t n;
  struct cli_trace_piece *pieces;
};

void cli_trace_init(struct cli_trace *t, const struct model *m, const char *dir,
                    size_t replications);
/* Opens the piece of one replication; the sink writes into it. On failure
 * the sink is empty and cli_trace_finish reports the error. */
struct model_journey_sink cli_trace_begin(struct cli_trace *t, size_t replication);
void cli_trace_end(struct cli_trace *t, size_t replication);
/* Joins the pieces into DIR/customers.csv. 0 or -1 with a message. */
int cli_trace_finish(struct cli_trace *t, char *err, size_t errlen);
/* Removes whatever pieces are left. */
void cli_trace_fini(struct cli_trace *t);

#endif
