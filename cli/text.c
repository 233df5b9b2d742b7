#include "cli/text.h"

#include <string.h>

/* Bytes of s that hold at most `width` characters, and how many
 * characters that is. A continuation byte (10xxxxxx) belongs to the
 * character before it. */
static size_t fit(const char *s, int width, int *chars)
{
  size_t i = 0;
  int n = 0;
  while (s[i]) {
    if (n == width)
      break;
    i++;
    while (((unsigned char)s[i] & 0xC0) == 0x80)
      i++;
    n++;
  }
  *chars = n;
  return i;
}

void text_cell(FILE *out, const char *s, int width, bool right)
{
  int chars;
  size_t bytes = fit(s, width, &chars);
  int pad = width - chars;
  if (right)
    fprintf(out, "%*s", pad, "");
  fwrite(s, 1, bytes, out);
  if (!right)
    fprintf(out, "%*s", pad, "");
}
