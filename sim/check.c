#include "sim/check.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sim_check_fail(const char *expr, const char *file, int line)
{
  fprintf(stderr, "loket: internal error: %s:%d: assertion '%s' failed\n"
          "This is a bug in loket; please report it with the scenario.\n",
          file, line, expr);
  abort();
}

void sim_out_of_memory(size_t bytes)
{
  fprintf(stderr, "loket: error: out of memory (allocating %zu bytes)\n", bytes);
  exit(1);
}

void *sim_xmalloc(size_t bytes)
{
  void *p = malloc(bytes ? bytes : 1);
  if (!p)
    sim_out_of_memory(bytes);
  return p;
}

void *sim_xcalloc(size_t count, size_t size)
{
  void *p = calloc(count ? count : 1, size ? size : 1);
  if (!p)
    sim_out_of_memory(count * size);
  return p;
}

void *sim_xcalloc_lines(size_t count, size_t size)
{
  enum { LINE = 64 };
  size_t bytes = (count ? count : 1) * (size ? size : 1);
  if (bytes / (size ? size : 1) != (count ? count : 1) || bytes > SIZE_MAX - LINE)
    sim_out_of_memory(SIZE_MAX);
  bytes = (bytes + LINE - 1) / LINE * LINE;   /* aligned_alloc wants a multiple */
  void *p = aligned_alloc(LINE, bytes);
  if (!p)
    sim_out_of_memory(bytes);
  memset(p, 0, bytes);
  return p;
}

void *sim_xrealloc(void *ptr, size_t count, size_t size)
{
  if (size && count > SIZE_MAX / size)
    sim_out_of_memory(SIZE_MAX);
  size_t bytes = count * size;
  void *p = realloc(ptr, bytes ? bytes : 1);
  if (!p)
    sim_out_of_memory(count * size);
  return p;
}

char *sim_xstrdup(const char *s)
{
  size_t n = strlen(s) + 1;
  char *p = sim_xmalloc(n);
  memcpy(p, s, n);
  return p;
}
