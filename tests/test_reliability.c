/* Nothing lost: runs killed at random moments leave complete files or none;
 * a full disk and a read-only folder are reported, and leave nothing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
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

/* A file is complete when it ends with a line end and has `rows` lines
 * (header included); rows 0: any number. */
static bool complete_or_absent(const char *path, size_t rows)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    return true;
  size_t lines = 0;
  int c, last = '\n';
  while ((c = getc(f)) != EOF) {
    lines += c == '\n';
    last = c;
  }
  fclose(f);
  return last == '\n' && lines > 1 && (rows == 0 || lines == rows);
}

static void sleep_ms(long ms)
{
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
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

/* SIGKILL at 12 moments spread over a run (a fixed pseudo-random sequence,
 * so a failure can be reproduced): every output file is complete or absent. */
static void run_killed_at_random(void **state)
{
  (void)state;
  uint32_t x = 2385;
  const char *files[] = {"summary.csv", "departments.csv", "classes.csv",
                         "stats.csv", "timeseries.csv", "waits.csv", "about.csv"};
  const size_t rows[] = {2001, 6001, 6001, 0, 0, 0, 0};
  int killed = 0;
  for (int trial = 0; trial < 12; trial++) {
    x = x * 1103515245u + 12345u;
    long delay = 5 + (long)((x >> 8) % 400);
    test_sh("rm -rf rel-kill");
    /* Long enough (about a second) that most kills land mid-run. */
    pid_t pid = start("run " GEMEENTE " --replications 2000 --jobs 2 --out rel-kill");
    sleep_ms(delay);
    kill(pid, SIGKILL);
    int status;
    waitpid(pid, &status, 0);
    killed += WIFSIGNALED(status);
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
      char path[256];
      snprintf(path, sizeof path, "rel-kill/%s", files[i]);
      if (!complete_or_absent(path, rows[i]))
        fail_msg("trial %d (kill after %ld ms): %s is incomplete", trial, delay, path);
    }
  }
  printf("  %d of 12 runs were killed before they finished\n", killed);
  assert_true(killed >= 3);
}

/* A sweep killed at random moments, then run again: it resumes and ends
 * with the same bytes as an uninterrupted sweep. */
static void sweep_killed_then_resumed(void **state)
{
  (void)state;
  const char *sweep = "sweep " GEMEENTE " --vary departments.permits.staff=3,4,5"
                      " --replications 12 --jobs 2 --quiet";
  char args[1024];
  test_sh("rm -rf rel-sweep-ref rel-sweep");
  snprintf(args, sizeof args, "%s --out rel-sweep-ref", sweep);
  assert_int_equal(test_sh("%s %s", LOKET_BINARY, args), 0);
  snprintf(args, sizeof args, "%s --out rel-sweep", sweep);
  uint32_t x = 77;
  for (int trial = 0; trial < 4; trial++) {
    x = x * 1103515245u + 12345u;
    pid_t pid = start(args);
    sleep_ms(20 + (long)((x >> 8) % 150));
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
  }
  assert_int_equal(test_sh("%s %s", LOKET_BINARY, args), 0);
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
