/* Shared helpers for loket's cmocka tests. Include after <cmocka.h>. */
#ifndef LOKET_TESTS_TESTING_H
#define LOKET_TESTS_TESTING_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

/* |a - b| <= tol, with both values in the failure message. (cmocka 1.1's
 * assert_float_equal compares floats, too coarse for these checks.) */
#define assert_near(a, b, tol)                                              \
  do {                                                                      \
    double a_ = (a), b_ = (b), t_ = (tol);                                  \
    if (!(fabs(a_ - b_) <= t_))                                             \
      fail_msg("%s = %.17g, expected %.17g within %g", #a, a_, b_, t_);     \
  } while (0)

/* Runs a shell command (printf-style), checks that it exited normally and
 * returns its exit status. */
#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static inline int test_sh(const char *fmt, ...)
{
  char cmd[8192];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(cmd, sizeof cmd, fmt, ap);
  va_end(ap);
  int rc = system(cmd);
  assert_true(WIFEXITED(rc));
  return WEXITSTATUS(rc);
}

/* A whole file as a string (free it), or NULL if it cannot be read. */
static inline char *test_slurp(const char *path)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)(n > 0 ? n : 0) + 1);
  size_t got = fread(buf, 1, (size_t)(n > 0 ? n : 0), f);
  buf[got] = '\0';
  fclose(f);
  return buf;
}

/* Files a and b have the same bytes (a failure names a missing one). */
static inline void test_same_file(const char *a, const char *b)
{
  char *x = test_slurp(a), *y = test_slurp(b);
  if (!x || !y)
    fail_msg("missing %s or %s", a, b);
  assert_string_equal(x, y);
  free(x);
  free(y);
}

/* The n files of `names` are the same in folders dir_a and dir_b. */
static inline void test_same_files(const char *dir_a, const char *dir_b,
                                   const char *const *names, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    char a[512], b[512];
    snprintf(a, sizeof a, "%s/%s", dir_a, names[i]);
    snprintf(b, sizeof b, "%s/%s", dir_b, names[i]);
    test_same_file(a, b);
  }
}

#endif
