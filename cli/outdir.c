/* Output-folder naming, for every command that writes a folder. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/options.h"
#include "sim/check.h"

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

