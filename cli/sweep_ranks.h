/*
 * cli/sweep_ranks.h — a sweep under mpirun or srun.
 *
 * Every rank runs the shard rank/size of the tasks, then rank 0 merges
 * once all are done. MPI is started only when a launcher is there, so a
 * plain `loket sweep` does not pay for it, and a loket built without MPI
 * says so when mpirun starts several copies of it.
 */
#ifndef LOKET_CLI_SWEEP_RANKS_H
#define LOKET_CLI_SWEEP_RANKS_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/options.h"

struct sweep_ranks {
  size_t rank, size;
  bool mpi;
};

/* Starts MPI when launched by it. 0 or an exit status. */
int sweep_ranks_start(struct sweep_ranks *r, const struct options *o);
/* The worst status of all ranks; every rank calls this exactly once, after
 * its own tasks, whatever happened before. */
int sweep_ranks_agree(const struct sweep_ranks *r, int rc);
void sweep_ranks_stop(const struct sweep_ranks *r);

#endif
