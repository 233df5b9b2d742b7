/*
 * cli/sweep.h — `loket sweep` and `loket merge`.
 *
 * A sweep runs every combination of the varied values (the points) for R
 * replications: task t is point t / R, replication t % R, so replication r
 * uses the same random streams at every point (common random numbers).
 *
 * Every task's summary row goes, as soon as it is done, to a journal in
 * the output folder, tasks-I-of-N.csv (I/N the shard; 0/1 without
 * sharding), flushed line by line. Running again into the same folder
 * skips the tasks already in the journals, so a killed sweep loses only
 * the tasks in flight. sweep-plan.csv records what the folder is for; a
 * different sweep into the same folder is refused.
 *
 * Without --shard, and under MPI on rank 0 once every rank is done, the
 * journals are merged into sweep.csv (per point: every summary metric's
 * mean and 95 % half-width) and sweep_replications.csv (every task's row).
 * `loket merge DIR` does the same for shards run apart (Slurm arrays, GNU
 * parallel) and refuses missing or duplicate tasks. The files depend only
 * on the task results, never on the order tasks finished in, the number of
 * threads, ranks or shards.
 */
#ifndef LOKET_CLI_SWEEP_H
#define LOKET_CLI_SWEEP_H

#include "cli/options.h"

int cli_sweep(const struct options *o);
int cli_merge(const char *dir);

#endif
