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

/* Results in the folder: the entries not hidden (temporary files are
 * hidden, ".NAME.tmp.PID"). */
static int results_in(const char *dir)
{
  DIR *d = opendir(dir);
  if (!d)
    return 0;
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)))
    n += e->d_name[0] != '.';
  closedir(d);
  return n;
}

/* Runs to its end, or until `stop` returns true (polled every millisecond);
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

/* The moments of an uninterrupted run, in ms from its start: when its first
 * result file appears (customers.csv, joined from its pieces) and when it
 * ends. */
struct moments {
  double first_result, end;
};

static bool note_moments(double elapsed, void *arg)
{
  struct moments *m = arg;
  if (m->first_result == 0 && results_in("rel-ref") > 0)
    m->first_result = elapsed;
  m->end = elapsed;
  return false;
}

/* When to kill a trial: `after` ms from its start, or, if `from_first` is
 * set, `after` ms from the moment its first result appears. */
struct kill_at {
  bool from_first;
  double after;
  double first_seen;   /* -1 until then */
};

static bool kill_now(double elapsed, void *arg)
{
  struct kill_at *k = arg;
  if (!k->from_first)
    return elapsed >= k->after;
  if (k->first_seen < 0 && results_in("rel-kill") > 0)
    k->first_seen = elapsed;
  return k->first_seen >= 0 && elapsed - k->first_seen >= k->after;
}

/* SIGKILL at 12 moments of a run (a fixed pseudo-random sequence, so a
 * failure can be reproduced): every result file left is byte for byte the
 * one an uninterrupted run writes. With the customer trace a run writes
 * files all along: pieces of customers.csv while it simulates, then
 * customers.csv, then the other files, each renamed into place when the
 * whole set is written. Half the trials are killed while it simulates
 * (at a share of the time the reference run took to its first result),
 * half after their own first result has appeared (at a share of the time
 * the reference took from there to its end), so that some kills land
 * between the renames: those must find some files complete and others
 * absent, and enough of them must, or the test has stopped testing. */
static void run_killed_at_random(void **state)
{
  (void)state;
  const char *run = "run " GEMEENTE " --replications 300 --jobs 2 --trace";
  char args[1024];
  test_sh("rm -rf rel-ref rel-kill");
  snprintf(args, sizeof args, "%s --out rel-ref", run);
  struct moments ref = {0};
  assert_false(run_until(args, note_moments, &ref));
  int nref = results_in("rel-ref");
  assert_true(ref.first_result > 0 && nref >= 8);
  printf("  uninterrupted: first result after %.0f ms, %d files after %.0f ms\n",
         ref.first_result, nref, ref.end);

  snprintf(args, sizeof args, "%s --out rel-kill", run);
  uint32_t x = 2385;
  int killed = 0, mixed = 0, none = 0;
  for (int trial = 0; trial < 12; trial++) {
    x = x * 1103515245u + 12345u;
    double share = (double)((x >> 8) % 1000) / 1000;
    struct kill_at k = {trial % 2 == 1, 0, -1};
    k.after = k.from_first ? share * (ref.end - ref.first_result) : share * ref.first_result;
    test_sh("rm -rf rel-kill");
    bool was_killed = run_until(args, kill_now, &k);
    killed += was_killed;
    int complete = 0;
    DIR *d = opendir("rel-kill");
    for (struct dirent *e; d && (e = readdir(d));) {
      if (e->d_name[0] == '.')
        continue;
      if (test_sh("cmp -s rel-kill/%s rel-ref/%s", e->d_name, e->d_name) != 0)
        fail_msg("trial %d (killed %s%.0f ms): %s is not the uninterrupted run's",
                 trial, k.from_first ? "at the first result + " : "after ", k.after,
                 e->d_name);
      complete++;
    }
    if (d)
      closedir(d);
    mixed += was_killed && complete > 0 && complete < nref;
    none += was_killed && complete == 0;
  }
  printf("  of 12 trials, %d killed: %d with some files complete and the rest "
         "absent, %d with none\n", killed, mixed, none);
  assert_true(killed >= 9);
  assert_true(mixed >= 3);
  assert_true(none >= 3);
}

/* A sweep killed three times at random moments, each time resuming the
 * last, then run to its end: it reuses the tasks the killed runs finished
 * and ends with the same bytes as an uninterrupted sweep. Each kill comes
 * at 10-30 % of the uninterrupted sweep's time, so the three together
 * cannot finish it, and most must land while it runs. */
static bool never(double elapsed, void *arg)
{
  (void)elapsed;
  (void)arg;
  return false;
}

static bool after_ms(double elapsed, void *arg)
{
  return elapsed >= *(double *)arg;
}

static void sweep_killed_then_resumed(void **state)
{
  (void)state;
  const char *sweep = "sweep " GEMEENTE " --vary departments.permits.staff=3,4,5"
                      " --replications 200 --jobs 2 --quiet";
  char args[1024];
  test_sh("rm -rf rel-sweep-ref rel-sweep");
  snprintf(args, sizeof args, "%s --out rel-sweep-ref", sweep);
  double t0 = now_ms();
  assert_false(run_until(args, never, NULL));
  double whole = now_ms() - t0;
  snprintf(args, sizeof args, "%s --out rel-sweep", sweep);
  uint32_t x = 77;
  int killed = 0;
  for (int trial = 0; trial < 3; trial++) {
    x = x * 1103515245u + 12345u;
    double at = whole * (0.1 + 0.2 * (double)((x >> 8) % 1000) / 1000);
    killed += run_until(args, after_ms, &at);
  }
  printf("  uninterrupted sweep: %.0f ms; %d of 3 runs killed before the end\n",
         whole, killed);
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

static void full_disk_and_read_only(void **state)
{
  (void)state;
  if (!mount_tmpfs("rel-full", "size=64k")) {
    printf("  skipped: cannot mount a small tmpfs here (needs root)\n");
    skip();
  }
  int rc = test_sh(LOKET_BINARY " run " GEMEENTE " --replications 20 --out rel-full/out"
              " 2> rel-err.txt");
  int leftovers = test_sh("test -z \"$(ls -A rel-full/out 2>/dev/null)\"");
  test_sh("umount rel-full");
  assert_int_equal(rc, 1);
  assert_int_equal(test_sh("grep -q 'No space left on device' rel-err.txt"), 0);
  assert_int_equal(leftovers, 0);

  assert_true(mount_tmpfs("rel-ro", "size=1m,ro"));
  rc = test_sh(LOKET_BINARY " run " GEMEENTE " --replications 2 --out rel-ro 2> rel-err.txt");
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
