/*
 * sim/check.h — the bug channel.
 *
 * loket has two error channels. Problems with input or I/O are returned as a
 * status with a message the caller can print. Broken invariants are bugs:
 * they trip sim_assert(), which always calls sim_check_fail() — one function
 * to break on in a debugger — and aborts. sim_assert_debug() is the same
 * check compiled out under NDEBUG, for the hot path of the event loop.
 *
 * Running out of memory is neither a bad scenario nor a bug: sim_xmalloc()
 * and friends report it and exit with status 1 (runtime failure). Output
 * files are only written at the end of a run, so nothing half-written is
 * left behind.
 */
#ifndef LOKET_SIM_CHECK_H
#define LOKET_SIM_CHECK_H

#include <stddef.h>

_Noreturn void sim_check_fail(const char *expr, const char *file, int line);
_Noreturn void sim_out_of_memory(size_t bytes);

#define sim_assert(cond) \
  ((cond) ? (void)0 : sim_check_fail(#cond, __FILE__, __LINE__))
#ifdef NDEBUG
#define sim_assert_debug(cond) ((void)0)
#else
#define sim_assert_debug(cond) sim_assert(cond)
#endif

void *sim_xmalloc(size_t bytes);
void *sim_xcalloc(size_t count, size_t size);
/* As sim_xcalloc, aligned to a cache line (64 bytes), for arrays whose
 * elements are laid out by cache line; freed with free(). */
void *sim_xcalloc_lines(size_t count, size_t size);
void *sim_xrealloc(void *ptr, size_t count, size_t size);
char *sim_xstrdup(const char *s);

#endif
