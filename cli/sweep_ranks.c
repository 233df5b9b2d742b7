#include "cli/sweep_ranks.h"

#include <stdio.h>
#include <stdlib.h>

#ifdef LOKET_HAVE_MPI
#include <mpi.h>
#endif

#include "cli/options.h"

static bool launched_by_mpi(void)
{
  return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMI_SIZE") ||
         getenv("PMIX_RANK") || getenv("PMI_RANK");
}

int sweep_ranks_start(struct sweep_ranks *r, const struct options *o)
{
  *r = (struct sweep_ranks){0, 1, false};
  if (!launched_by_mpi())
    return 0;
#ifdef LOKET_HAVE_MPI
  int rank, size;
  MPI_Init(NULL, NULL);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  *r = (struct sweep_ranks){(size_t)rank, (size_t)size, true};
  const char *tasks = getenv("SLURM_STEP_NUM_TASKS");
  if (size == 1 && tasks && atoi(tasks) > 1) {
    fprintf(stderr, "loket: error: srun started %s copies but MPI sees one rank "
                    "each; use srun --mpi=pmix with OpenMPI (pmi2 with MPICH)\n", tasks);
    return LOKET_EXIT_USAGE;
  }
  if (size > 1 && o->shard_count) {
    fprintf(stderr, "loket: error: --shard and MPI ranks both divide the tasks; "
                    "use one of them\n");
    return LOKET_EXIT_USAGE;
  }
  return 0;
#else
  (void)o;
  if (getenv("OMPI_COMM_WORLD_SIZE") && atoi(getenv("OMPI_COMM_WORLD_SIZE")) > 1) {
    fprintf(stderr, "loket: error: started by mpirun, but this loket was built "
                    "without MPI (install libopenmpi-dev and rebuild), or use --shard\n");
    return LOKET_EXIT_USAGE;
  }
  return 0;
#endif
}

/* The worst status of all ranks; every rank calls this exactly once, after
 * its own tasks, whatever happened before. */
int sweep_ranks_agree(const struct sweep_ranks *r, int rc)
{
#ifdef LOKET_HAVE_MPI
  if (r->mpi) {
    int worst = rc;
    MPI_Allreduce(&rc, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    return worst;
  }
#else
  (void)r;
#endif
  return rc;
}

void sweep_ranks_stop(const struct sweep_ranks *r)
{
#ifdef LOKET_HAVE_MPI
  if (r->mpi)
    MPI_Finalize();
#else
  (void)r;
#endif
}

