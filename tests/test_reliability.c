/* Nothing lost: runs killed at random moments leave complete files or none;
 * a full disk and a read-only folder are reported, and leave nothing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <dirent.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "testing.h"

#define GEMEENTE LOKET_SOURCE_DIR "/scenarios/gemeente.yaml"
#define EEN_LOKET LOKET_SOURCE_DIR "/scenarios/een-loket.yaml"

static double now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void sleep_ms(double ms)
{
  struct timespec ts = {(time_t)(ms / 1000), (long)(fmod(ms, 1000) * 1e6)};
  nanosleep(&ts, NULL);
}

static pid_t start(const char *args)
{
  pid_t pid = fork();
  if (pid == 0) {
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "exec %s %s >/dev/null 2>&1", LOKET_BINARY, args);
    execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
    _exit(127);
  }
  return pid;
}

/* What a folder holds: results (entries not hidden) and temporary files
 * (hidden: ".NAME.tmp.PID", and the pieces of customers.csv). */
struct contents {
  int results, temporary;
};

static struct contents contents_of(const char *dir)
{
  struct contents c = {0, 0};
  DIR *d = opendir(dir);
  if (!d)
    return c;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    if (e->d_name[0] == '.')
      c.temporary++;
    else
      c.results++;
  }
  closedir(d);
  return c;
}

/* Runs to its end, or until `stop` says so (asked every millisecond), and
 * then kills it. True when it was killed before it finished. */
static bool run_until(const char *args, bool (*stop)(double elapsed, void *), void *arg)
{
  pid_t pid = start(args);
  double t0 = now_ms();
  int status;
  for (;;) {
    if (waitpid(pid, &status, WNOHANG) == pid) {
      assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
      return false;
    }
    if (stop(now_ms() - t0, arg))
      break;
    sleep_ms(1);
  }
  kill(pid, SIGKILL);
  assert_true(waitpid(pid, &status, 0) == pid);
  return WIFSIGNALED(status);
}

static bool never(double elapsed, void *arg)
{
  (void)elapsed;
  (void)arg;
  return false;
}

/* A kill moment, by what the run has written rather than by the clock (a
 * loaded machine stretches the clock, not the order of the writes): at
 * least `results` result files and `temporary` temporary files. */
struct kill_at {
  struct contents contents;
  double after;       /* and at least this many seconds in */
};

static bool written(double elapsed, void *arg)
{
  const struct kill_at *at = arg;
  struct contents now = contents_of("rel-kill");
  return elapsed >= at->after && now.results >= at->contents.results &&
         now.temporary >= at->contents.temporary;
}

/* SIGKILL at 12 moments of a run (a fixed pseudo-random sequence, so a
 * failure can be reproduced): every result file left is byte for byte the
 * one an uninterrupted run writes. With the customer trace a run writes
 * files all along: customers.csv under a hidden name while it simulates
 * (replications that finish out of order wait in hidden pieces); then the
 * other files under hidden names; then all of them, customers.csv
 * included, are flushed, synced and closed, and only then renamed into
 * place, one rename right after the other. The moments are, four of each:
 * while the trace is written (0.02 to 0.5 s in, no result yet), with
 * customers.csv and h temporary files of the others (h in 1..7: being
 * written), and with all of them there (being synced and closed). A kill
 * at any of them must leave no result at all; the renames follow too
 * closely to be caught, and any file a kill does leave must be complete.
 * Enough kills must land, or the test has stopped testing. */
static void run_killed_at_random(void **state)
{
  (void)state;
  /* 1500 replications: about a second and a half of writing the trace. */
  const char *run = "run " GEMEENTE " --replications 1500 --jobs 2 --trace";
  char args[1024];
  test_sh("rm -rf rel-ref rel-kill");
  snprintf(args, sizeof args, "%s --out rel-ref", run);
  assert_false(run_until(args, never, NULL));
  int nref = contents_of("rel-ref").results;
  assert_true(nref >= 8);

  snprintf(args, sizeof args, "%s --out rel-kill", run);
  uint32_t x = 2385;
  int killed = 0, mixed = 0, none = 0;
  for (int trial = 0; trial < 12; trial++) {
    x = x * 1103515245u + 12345u;
    int u = (int)((x >> 8) % 1000);
    struct kill_at at = trial % 3 == 0 ? (struct kill_at){{0, 1}, 0.02 + (u % 480) / 1000.0}
                      : trial % 3 == 1 ? (struct kill_at){{0, 2 + u % 7}, 0}
                                       : (struct kill_at){{0, nref}, 0};
    test_sh("rm -rf rel-kill");
    bool was_killed = run_until(args, written, &at);
    killed += was_killed;
    int complete = 0;
    DIR *d = opendir("rel-kill");
    for (struct dirent *e; d && (e = readdir(d));) {
      if (e->d_name[0] == '.')
        continue;
      if (test_sh("cmp -s rel-kill/%s rel-ref/%s", e->d_name, e->d_name) != 0)
        fail_msg("trial %d (killed at %d results, %d temporary files): %s is not "
                 "the uninterrupted run's", trial, at.contents.results,
                 at.contents.temporary, e->d_name);
      complete++;
    }
    if (d)
      closedir(d);
    /* Before the closing starts, nothing may be in place (customers.csv
     * once was, renamed before the other files were written). */
    if (was_killed && trial % 3 != 2 && complete > 0)
      fail_msg("trial %d: killed before the files were closed, yet %d of them "
               "are in place", trial, complete);
    mixed += was_killed && complete > 0 && complete < nref;
    none += was_killed && complete == 0;
  }
  printf("  of 12 trials, %d killed: %d with some files complete and the rest "
         "absent, %d with none\n", killed, mixed, none);
  assert_true(killed >= 10);
  assert_true(none >= 9);
}

/* A sweep killed three times, each time resuming the last, then run to
 * its end: it reuses the tasks the killed runs finished and ends with the
 * same bytes as an uninterrupted sweep. The kills come when the journal
 * has reached a quarter, a half and three quarters of its final size (by
 * what is written, not by the clock), so each lands while the sweep runs. */
#define JOURNAL "tasks-0-of-1.csv"

static long size_of(const char *path)
{
  struct stat st;
  return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static bool journal_reached(double elapsed, void *arg)
{
  (void)elapsed;
  return size_of("rel-sweep/" JOURNAL) >= *(long *)arg;
}

static void sweep_killed_then_resumed(void **state)
{
  (void)state;
  const char *sweep = "sweep " GEMEENTE " --vary departments.permits.staff=3,4,5"
                      " --replications 200 --jobs 2 --quiet";
  char args[1024];
  test_sh("rm -rf rel-sweep-ref rel-sweep");
  snprintf(args, sizeof args, "%s --out rel-sweep-ref", sweep);
  assert_false(run_until(args, never, NULL));
  long whole = size_of("rel-sweep-ref/" JOURNAL);
  assert_true(whole > 0);
  snprintf(args, sizeof args, "%s --out rel-sweep", sweep);
  int killed = 0;
  for (int quarter = 1; quarter <= 3; quarter++) {
    long at = whole * quarter / 4;
    killed += run_until(args, journal_reached, &at);
  }
  printf("  %d of 3 runs killed before the end\n", killed);
  assert_true(killed >= 2);
  assert_int_equal(test_sh("%s %s --progress 2> rel-sweep-err.txt", LOKET_BINARY, args), 0);
  assert_int_equal(test_sh("grep -q 'tasks of this sweep already done' rel-sweep-err.txt"), 0);
  assert_int_equal(test_sh("cmp rel-sweep/sweep.csv rel-sweep-ref/sweep.csv"), 0);
  assert_int_equal(test_sh("cmp rel-sweep/sweep_replications.csv "
                      "rel-sweep-ref/sweep_replications.csv"), 0);
}

/* A small tmpfs (root only): a full disk and a read-only folder give exit
 * status 1, a message, and no output or temporary file. */
static bool mount_tmpfs(const char *dir, const char *options)
{
  test_sh("umount %s 2>/dev/null; rm -rf %s; mkdir -p %s", dir, dir, dir);
  return test_sh("mount -t tmpfs -o %s tmpfs %s 2>/dev/null", options, dir) == 0;
}

/* `loket run ARGS` into the tmpfs mounted at rel-full, which it fills:
 * exit status 1, the system's message and nothing left: not even the
 * folder rel-full/out, which the run made (it was left empty). Unmounts
 * rel-full. */
static void full_disk_run(const char *args)
{
  int rc = test_sh(LOKET_BINARY " run %s --out rel-full/out 2> rel-err.txt", args);
  int leftovers = test_sh("test ! -e rel-full/out");
  test_sh("umount rel-full");
  assert_int_equal(rc, 1);
  assert_int_equal(test_sh("grep -q 'No space left on device' rel-err.txt"), 0);
  assert_int_equal(leftovers, 0);
}

static void full_disk_and_read_only(void **state)
{
  (void)state;
  if (!mount_tmpfs("rel-full", "size=64k")) {
    printf("  skipped: cannot mount a small tmpfs here (needs root)\n");
    skip();
  }
  full_disk_run(GEMEENTE " --replications 20");

  /* A traced run on a disk with room for customers.csv but not for the
   * rest: the trace's file is committed with the others, so it is not left
   * behind alone (it was, when it was renamed into place first). */
  test_sh("rm -rf rel-trace-ref");
  assert_int_equal(test_sh(LOKET_BINARY " run " EEN_LOKET " --trace --quiet"
                           " --out rel-trace-ref"), 0);
  long customers = size_of("rel-trace-ref/customers.csv");
  assert_true(customers > 100000);
  char options[64];
  snprintf(options, sizeof options, "size=%ldk", customers / 1024 + 64);
  assert_true(mount_tmpfs("rel-full", options));
  full_disk_run(EEN_LOKET " --trace --quiet");

  assert_true(mount_tmpfs("rel-ro", "size=1m,ro"));
  int rc = test_sh(LOKET_BINARY " run " GEMEENTE " --replications 2 --out rel-ro 2> rel-err.txt");
  test_sh("umount rel-ro");
  assert_int_equal(rc, 1);
  assert_int_equal(test_sh("grep -q 'Read-only file system' rel-err.txt"), 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(run_killed_at_random),
    cmocka_unit_test(sweep_killed_then_resumed),
    cmocka_unit_test(full_disk_and_read_only),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
