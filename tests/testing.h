/* Shared helpers for loket's cmocka tests. Include after <cmocka.h>. */
#ifndef LOKET_TESTS_TESTING_H
#define LOKET_TESTS_TESTING_H

#include <math.h>

/* |a - b| <= tol, with both values in the failure message. (cmocka 1.1's
 * assert_float_equal compares floats, too coarse for these checks.) */
#define assert_near(a, b, tol)                                              \
  do {                                                                      \
    double a_ = (a), b_ = (b), t_ = (tol);                                  \
    if (!(fabs(a_ - b_) <= t_))                                             \
      fail_msg("%s = %.17g, expected %.17g within %g", #a, a_, b_, t_);     \
  } while (0)

#endif
