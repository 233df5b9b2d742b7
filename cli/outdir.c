/* Output folders (naming and preparing them) and the default number of
 * threads, for every command that writes a folder. */
#define _GNU_SOURCE 1  /* sched_getaffinity, CPU_COUNT */
#include <ctype.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/options.h"
#include "sim/check.h"
#include "sim/csv.h"
#include "sim/runner.h"

unsigned cli_default_jobs(void)
{
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0) {
    int n = CPU_COUNT(&set);
    if (n >= 1)
      return n > 1024 ? 1024u : (unsigned)n;
  }
  return sim_runner_processors();
}

int cli_prepare_output_folder(const char *dir, bool *created, char *err, size_t errlen)
{
  struct stat st;
  if (created)
    *created = lstat(dir, &st) != 0 && errno == ENOENT;
  if (sim_mkdir_p(dir) != 0) {
    snprintf(err, errlen, "cannot create output folder '%s': %s", dir, strerror(errno));
    return -1;
  }
  if (access(dir, W_OK | X_OK) != 0) {
    snprintf(err, errlen, "cannot write into output folder '%s': %s", dir,
             strerror(errno));
    return -1;
  }
  return 0;
}

void cli_output_folder_unused(const char *dir, bool created)
{
  if (created)
    (void)rmdir(dir);   /* fails, harmlessly, unless empty */
}

/* "Gemeente balie" -> "gemeente-balie": safe as a folder name. */
static char *slug(const char *name)
{
  char *s = sim_xmalloc(strlen(name) + 1);
  size_t n = 0;
  for (const char *p = name; *p; p++) {
    unsigned char ch = (unsigned char)*p;
    if (isalnum(ch) || ch == '_' || ch == '.' || ch >= 0x80)
      s[n++] = (char)tolower(ch);
    else if (n > 0 && s[n - 1] != '-')
      s[n++] = '-';
  }
  while (n > 0 && (s[n - 1] == '-' || s[n - 1] == '.'))
    n--;
  s[n] = '\0';
  if (n == 0) {
    free(s);
    s = sim_xstrdup("scenario");
  }
  return s;
}

char *cli_output_folder(const char *out, const char *name, const char *suffix)
{
  if (out)
    return sim_xstrdup(out);
  char *s = slug(name);
  char *dir = sim_xmalloc(strlen(s) + strlen(suffix) + 5);
  sprintf(dir, "out/%s%s", s, suffix);
  free(s);
  return dir;
}

