#include "sim/csvread.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sim/check.h"
#include "sim/csv.h"

enum { RECORD_MAX = 16 << 20 };

int sim_csv_reader_fail(struct sim_csv_reader *r, const char *fmt, ...)
{
  int n = snprintf(r->error, sizeof r->error, "%s:%zu: ", r->path, r->line);
  if (n < 0 || (size_t)n >= sizeof r->error)
    n = 0;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(r->error + n, sizeof r->error - (size_t)n, fmt, ap);
  va_end(ap);
  return -1;
}

/* A short, printable excerpt of a field for a message. */
static void excerpt(char *out, size_t len, const char *s)
{
  size_t n = 0;
  for (; *s && n + 4 < len; s++)
    out[n++] = isprint((unsigned char)*s) ? *s : '?';
  if (*s && n + 4 >= len)
    out[n++] = '.', out[n++] = '.', out[n++] = '.';
  out[n] = '\0';
}

static void push(struct sim_csv_reader *r, char c)
{
  if (r->len + 1 >= r->cap) {
    r->cap = r->cap ? 2 * r->cap : 256;
    r->record = sim_xrealloc(r->record, r->cap, 1);
  }
  r->record[r->len++] = c;
}

static void start_field(struct sim_csv_reader *r)
{
  if (r->nfields == r->fields_cap) {
    r->fields_cap = r->fields_cap ? 2 * r->fields_cap : 16;
    r->starts = sim_xrealloc(r->starts, r->fields_cap, sizeof *r->starts);
  }
  r->starts[r->nfields++] = r->len;
}

/* The reader's file is its own and read by one thread at a time, so its
 * characters are taken without stdio's lock: a locked getc per character
 * was most of the time of reading back a sweep's journals once the
 * runner had started threads. */
#define next_char(file) getc_unlocked(file)

/* Reads one record into r->record / r->starts. 1, 0 at the end of the
 * file, -1 on an error. */
static int read_record(struct sim_csv_reader *r)
{
  r->len = 0;
  r->nfields = 0;
  r->line++;
  size_t lines = 0;  /* line breaks inside quoted fields */
  long consumed = 0;
  int c = next_char(r->file);
  if (c == EOF)
    return ferror(r->file) ? sim_csv_reader_fail(r, "cannot read: %s", strerror(errno))
                           : 0;
  start_field(r);
  bool quoted = false, after_quote = false;
  for (;; c = next_char(r->file)) {
    if (c == EOF) {
      if (ferror(r->file))
        return sim_csv_reader_fail(r, "cannot read: %s", strerror(errno));
      if (r->allow_cut) {
        r->cut = true;
        return 0;
      }
      return sim_csv_reader_fail(r, quoted ? "a quoted field is not closed"
                                           : "the file ends in the middle of a row");
    }
    consumed++;
    if (c == '\0')
      return sim_csv_reader_fail(r, "a NUL byte in field %zu", r->nfields);
    if (r->len >= RECORD_MAX)
      return sim_csv_reader_fail(r, "a row longer than %d MiB", RECORD_MAX >> 20);
    if (quoted) {
      if (c == '"') {
        int next = next_char(r->file);
        if (next == '"') {
          consumed++;
          push(r, '"');
          continue;
        }
        if (next != EOF)
          ungetc(next, r->file);
        quoted = false;
        after_quote = true;
        continue;
      }
      if (c == '\n')
        lines++;
      push(r, (char)c);
      continue;
    }
    if (c == ',') {
      push(r, '\0');
      start_field(r);
      after_quote = false;
      continue;
    }
    if (c == '\r') {
      int next = next_char(r->file);
      if (next != '\n')
        return sim_csv_reader_fail(r, "a carriage return that does not end a line");
      consumed++;
      c = '\n';
    }
    if (c == '\n')
      break;
    if (after_quote)
      return sim_csv_reader_fail(r, "text after the closing quote of field %zu",
                                 r->nfields);
    if (c == '"') {
      if (r->len != r->starts[r->nfields - 1])
        return sim_csv_reader_fail(r, "a quote inside unquoted field %zu", r->nfields);
      quoted = true;
      continue;
    }
    push(r, (char)c);
  }
  push(r, '\0');
  r->complete += consumed;
  /* r->line names the record's first line in messages about it; the next
   * record starts after the line breaks inside this one's quotes. */
  r->pending_lines = lines;
  return 1;
}

/* A reader that could not start holds nothing but its message and
 * whether the header was cut off (r->cut: a file a kill cut short, or one
 * another process is still writing). */
static int init_failed(struct sim_csv_reader *r)
{
  char error[sizeof r->error];
  memcpy(error, r->error, sizeof error);
  bool cut = r->cut;
  sim_csv_reader_fini(r);
  memcpy(r->error, error, sizeof error);
  r->cut = cut;
  return -1;
}

int sim_csv_reader_init(struct sim_csv_reader *r, FILE *file, const char *path,
                        bool allow_cut)
{
  memset(r, 0, sizeof *r);
  r->file = file;
  r->path = sim_xstrdup(path);
  r->allow_cut = allow_cut;
  r->complete = ftell(file);
  if (r->complete < 0)
    r->complete = 0;
  int got = read_record(r);
  if (got <= 0) {
    if (got == 0)
      sim_csv_reader_fail(r, "the file is empty (no header row)");
    return init_failed(r);
  }
  r->ncolumns = r->nfields;
  r->header = sim_xcalloc(r->ncolumns, sizeof *r->header);
  for (size_t c = 0; c < r->ncolumns; c++) {
    r->header[c] = sim_xstrdup(r->record + r->starts[c]);
    if (!r->header[c][0]) {
      sim_csv_reader_fail(r, "column %zu of the header has no name", c + 1);
      return init_failed(r);
    }
    for (size_t k = 0; k < c; k++)
      if (!strcmp(r->header[k], r->header[c])) {
        char name[64];
        excerpt(name, sizeof name, r->header[c]);
        sim_csv_reader_fail(r, "column '%s' appears twice in the header", name);
        return init_failed(r);
      }
  }
  return 0;
}

int sim_csv_reader_open(struct sim_csv_reader *r, const char *path)
{
  FILE *f = sim_file_open_read(path);
  if (!f) {
    memset(r, 0, sizeof *r);
    int saved = errno;
    snprintf(r->error, sizeof r->error, "cannot read '%s': %s", path,
             saved == ELOOP ? "it is a symbolic link (loket reads only the files it "
                              "wrote itself)"
             : saved == EPERM ? "it is not a plain file" : strerror(saved));
    errno = saved;
    return -1;
  }
  return sim_csv_reader_init(r, f, path, false);
}

void sim_csv_reader_fini(struct sim_csv_reader *r)
{
  if (r->file)
    fclose(r->file);
  for (size_t c = 0; c < r->ncolumns; c++)
    free(r->header[c]);
  free(r->header);
  free(r->record);
  free(r->starts);
  free(r->path);
  memset(r, 0, sizeof *r);
}

int sim_csv_reader_next(struct sim_csv_reader *r)
{
  r->line += r->pending_lines;
  r->pending_lines = 0;
  int got = read_record(r);
  if (got <= 0)
    return got;
  if (r->nfields != r->ncolumns)
    return sim_csv_reader_fail(r, "%zu field%s, but the header has %zu columns",
                               r->nfields, r->nfields == 1 ? "" : "s", r->ncolumns);
  return 1;
}

int sim_csv_reader_column(const struct sim_csv_reader *r, const char *name)
{
  for (size_t c = 0; c < r->ncolumns; c++)
    if (!strcmp(r->header[c], name))
      return (int)c;
  return -1;
}

int sim_csv_reader_require(struct sim_csv_reader *r, const char *name)
{
  int c = sim_csv_reader_column(r, name);
  if (c < 0)
    snprintf(r->error, sizeof r->error, "%s:1: there is no column '%s'", r->path, name);
  return c;
}

const char *sim_csv_reader_field(const struct sim_csv_reader *r, size_t column)
{
  sim_assert(column < r->nfields);
  return r->record + r->starts[column];
}

static int bad_field(struct sim_csv_reader *r, size_t column, const char *what)
{
  char text[48];
  excerpt(text, sizeof text, sim_csv_reader_field(r, column));
  return sim_csv_reader_fail(r, "column '%s': expected %s, got '%s'", r->header[column],
                             what, text);
}

int sim_csv_reader_num(struct sim_csv_reader *r, size_t column, bool empty_ok,
                       double *out)
{
  const char *s = sim_csv_reader_field(r, column);
  if (!*s) {
    *out = NAN;
    return empty_ok ? 0 : bad_field(r, column, "a number");
  }
  char *end;
  errno = 0;
  double x = strtod(s, &end);
  if (*end || isspace((unsigned char)*s) || !isfinite(x))
    return bad_field(r, column, "a finite number");
  *out = x;
  return 0;
}

int sim_csv_reader_count(struct sim_csv_reader *r, size_t column, uint64_t min,
                         uint64_t max, uint64_t *out)
{
  const char *s = sim_csv_reader_field(r, column);
  char what[96];
  snprintf(what, sizeof what, "a whole number from %llu to %llu",
           (unsigned long long)min, (unsigned long long)max);
  if (!isdigit((unsigned char)*s))
    return bad_field(r, column, what);
  char *end;
  errno = 0;
  unsigned long long x = strtoull(s, &end, 10);
  if (*end || errno == ERANGE || x < min || x > max)
    return bad_field(r, column, what);
  *out = x;
  return 0;
}
