/*
 * cli/sweep_journal.h — the journals of a sweep: what is done.
 *
 * Every finished task's summary row goes at once to the journal of its
 * shard, DIR/tasks-I-of-N.csv, at full precision, flushed line by line. A
 * row is `format,task,plan,<summary columns>`: the format is SWEEP_FORMAT
 * (cli/sweep_plan.h), plan the sweep's identity (sweep_plan_identity, 16
 * hexadecimal digits), the columns are read back by name, and every row
 * is checked (width, numbers, task number, plan) when resuming or
 * merging.
 *
 * A journal is opened once for a run, never through a symbolic link or a
 * second hard link, and held under an exclusive lock (flock) until the
 * run ends: a second sweep into the same shard of the same folder (a job
 * submitted twice, a requeued array task) is refused instead of tearing
 * the journal. A last row cut off by a kill is cut away before appending.
 */
#ifndef LOKET_CLI_SWEEP_JOURNAL_H
#define LOKET_CLI_SWEEP_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct sweep_journal {
  FILE *file;
  char *path;
  uint64_t plan;       /* the sweep's identity, on every row */
};

/* What the journals hold: per task its row (ncols numbers) and whether it
 * is done. A task found again must have the same row to the bit (a sweep
 * resumed with other shards or ranks runs it again, to the same result);
 * another row is refused at its line. */
struct sweep_done {
  size_t ntasks;
  uint64_t plan;       /* the identity every row must carry */
  double *rows;
  bool *done;
};

void sweep_done_init(struct sweep_done *d, size_t ntasks, uint64_t plan);
void sweep_done_fini(struct sweep_done *d);

/* The name of shard I of N's journal (free it). */
char *sweep_journal_path(const char *dir, size_t shard, size_t shards);
/* true for a journal's file name. */
bool sweep_journal_name(const char *name);

/* Opens this run's journal: locks it, reads what is done into `done`, cuts
 * a half row away and writes the header of a new journal. 0, or -1 with a
 * message (locked by another run: 1). */
int sweep_journal_open(struct sweep_journal *j, const char *path,
                       struct sweep_done *done, char *err, size_t errlen);
/* Appends a task's row and flushes; 0 or -1 (errno). */
int sweep_journal_append(struct sweep_journal *j, size_t task, const double *summary);
/* Closes (and unlocks). 0 or -1 with a message. */
int sweep_journal_close(struct sweep_journal *j, char *err, size_t errlen);

/* Reads a journal of another shard into `done` (for merging). 0 or -1. */
int sweep_journal_read(const char *path, struct sweep_done *done, char *err,
                       size_t errlen);
/* Reads every journal in DIR (tasks-I-of-N.csv, whatever I and N) but
 * the one named `skip` (or none) into `done`; *count: how many. 0 or -1
 * with a message (FILE:LINE for a damaged one). */
int sweep_journals_read(const char *dir, const char *skip, struct sweep_done *done,
                        size_t *count, char *err, size_t errlen);

#endif
