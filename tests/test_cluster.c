/* Sweeps on the engines clusters have: mpirun, GNU parallel and a real
 * throw-away Slurm, each giving the serial sweep's bytes. A test is skipped,
 * with the reason printed, only where its tool is not installed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "testing.h"

#define MMC LOKET_SOURCE_DIR "/scenarios/mmc.yaml"
#define VARY " --vary departments.counter.staff=3,4,5 --replications 4 --quiet"

static int serial(void **state)
{
  (void)state;
  return test_sh("rm -rf cl-serial && " LOKET_BINARY " sweep " MMC VARY " --out cl-serial");
}

static void same_as_serial(const char *dir)
{
  assert_int_equal(test_sh("cmp %s/sweep.csv cl-serial/sweep.csv", dir), 0);
  assert_int_equal(test_sh("cmp %s/sweep_replications.csv cl-serial/sweep_replications.csv",
                      dir), 0);
}

static void mpirun_two_ranks(void **state)
{
  (void)state;
  if (test_sh("command -v mpirun > /dev/null") != 0) {
    printf("  skipped: mpirun is not installed (apt-get install openmpi-bin)\n");
    skip();
  }
  if (test_sh(LOKET_BINARY " --version | grep -q 'with MPI'") != 0) {
    printf("  skipped: loket was built without MPI (apt-get install libopenmpi-dev)\n");
    skip();
  }
  test_sh("rm -rf cl-mpi");
  /* OpenMPI keeps some of its own allocations to the end, which
   * LeakSanitizer reports in sanitizer builds; loket's own leaks are
   * checked by every other test, so the MPI ranks run without it. */
  assert_int_equal(test_sh("ASAN_OPTIONS=detect_leaks=0 "
                      "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 "
                      "OMPI_MCA_rmaps_base_oversubscribe=1 OMPI_MCA_pml=ob1 "
                      "mpirun -np 2 " LOKET_BINARY " sweep " MMC VARY " --out cl-mpi"), 0);
  assert_int_equal(test_sh("test -f cl-mpi/tasks-0-of-2.csv && test -f cl-mpi/tasks-1-of-2.csv"), 0);
  same_as_serial("cl-mpi");
}

/* Variants are points under MPI too: two ranks give the serial bytes. */
#define VARIANTS " --variant flat:departments.counter.staff=3" \
  " --variant 'later:departments.counter.staff=[{at: 0, staff: 3}, {at: 300, staff: 4}]'" \
  " --vary arrivals.0.rate=2.4,2.7 --replications 2 --quiet --set horizon=600 --set warmup=60"

static void mpirun_variants(void **state)
{
  (void)state;
  if (test_sh("command -v mpirun > /dev/null") != 0 ||
      test_sh(LOKET_BINARY " --version | grep -q 'with MPI'") != 0) {
    printf("  skipped: mpirun or an MPI build of loket is missing\n");
    skip();
  }
  test_sh("rm -rf cl-var-serial cl-var-mpi");
  assert_int_equal(test_sh(LOKET_BINARY " sweep " MMC VARIANTS " --out cl-var-serial"), 0);
  assert_int_equal(test_sh("ASAN_OPTIONS=detect_leaks=0 "
                      "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 "
                      "OMPI_MCA_rmaps_base_oversubscribe=1 OMPI_MCA_pml=ob1 "
                      "mpirun -np 2 " LOKET_BINARY " sweep " MMC VARIANTS " --out cl-var-mpi"), 0);
  assert_int_equal(test_sh("cmp cl-var-mpi/sweep.csv cl-var-serial/sweep.csv"), 0);
  assert_int_equal(test_sh("cmp cl-var-mpi/sweep_replications.csv "
                           "cl-var-serial/sweep_replications.csv"), 0);
  assert_int_equal(test_sh("head -c 8 cl-var-mpi/sweep.csv | grep -q '^variant,'"), 0);
}

static void gnu_parallel_shards(void **state)
{
  (void)state;
  if (test_sh("command -v parallel > /dev/null") != 0) {
    printf("  skipped: GNU parallel is not installed (apt-get install parallel)\n");
    skip();
  }
  test_sh("rm -rf cl-parallel");
  assert_int_equal(test_sh("parallel --will-cite --halt now,fail=1 -j 2 " LOKET_BINARY
                      " sweep " MMC VARY " --out cl-parallel --shard {}/4 ::: 0 1 2 3"), 0);
  assert_int_equal(test_sh(LOKET_BINARY " merge cl-parallel > /dev/null"), 0);
  same_as_serial("cl-parallel");
}

static void slurm_array_and_merge_job(void **state)
{
  (void)state;
  int rc = test_sh("bash " LOKET_SOURCE_DIR "/tests/cluster/slurm.sh " LOKET_BINARY " "
              MMC " \"$PWD/cl-slurm\"");
  if (rc == 77) {
    printf("  skipped: Slurm is not installed (apt-get install slurm-wlm)\n");
    skip();
  }
  assert_int_equal(rc, 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(mpirun_two_ranks),
    cmocka_unit_test(mpirun_variants),
    cmocka_unit_test(gnu_parallel_shards),
    cmocka_unit_test(slurm_array_and_merge_job),
  };
  return cmocka_run_group_tests(tests, serial, NULL);
}
