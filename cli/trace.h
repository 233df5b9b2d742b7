/*
 * cli/trace.h — customers.csv: one row per customer journey.
 *
 * Journeys are written as they end, so memory stays bounded however many
 * customers there are. customers.csv is opened (under its temporary name,
 * like every output, and renamed when complete) before the first
 * replication; the replication next in order writes straight into it, and
 * one that runs while another is writing there streams into a piece file
 * of its own (see sim_csv_close_piece), appended in replication order when
 * its turn comes. With --jobs 1 every row is written once; threads never
 * share a file. Numbers are formatted by a dedicated formatter that gives
 * sim_csv_num's text byte for byte, without printf.
 */
#ifndef LOKET_CLI_TRACE_H
#define LOKET_CLI_TRACE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "models/metrics.h"
#include "models/model.h"
#include "sim/csv.h"

struct cli_trace_piece {
  struct sim_csv csv;          /* unused when direct */
  struct cli_trace *trace;
  size_t replication;
  int opened;
  int done;                    /* the replication has ended */
  char *rows;                  /* rows not yet handed to the stream */
  size_t used;                 /* bytes of them */
  size_t unsynced;             /* bytes handed over since the last write-back */
  bool direct;                 /* writes into customers.csv itself */
};

struct cli_trace {
  const struct model *model;
  const char *dir;
  size_t n;
  struct cli_trace_piece *pieces;
  char **class_fields;         /* class names as CSV fields */
  size_t *class_lens;          /* and their lengths */
  size_t longest_class;
  struct sim_csv out;          /* customers.csv */
  pthread_mutex_t lock;        /* guards the fields below and appends */
  size_t next_direct;          /* replications before it are in out */
  bool direct_busy;            /* a replication is writing into out */
  const struct cli_trace_piece *failed_piece;
};

void cli_trace_init(struct cli_trace *t, const struct model *m, const char *dir,
                    size_t replications);
/* Opens the piece of one replication; the sink writes into it. On failure
 * the sink is empty and cli_trace_finish reports the error. */
struct model_journey_sink cli_trace_begin(struct cli_trace *t, size_t replication);
void cli_trace_end(struct cli_trace *t, size_t replication);
/* Joins the pieces into customers.csv, still under its temporary name:
 * the file to commit together with the run's other files
 * (report_write_run), or NULL with a message. */
struct sim_csv *cli_trace_finish(struct cli_trace *t, char *err, size_t errlen);
/* Removes whatever pieces are left. */
void cli_trace_fini(struct cli_trace *t);

#endif
