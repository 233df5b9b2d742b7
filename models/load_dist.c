/*
 * models/load_dist.c — distributions in a scenario, and the files of
 * values (traces, empirical samples) a scenario names.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "models/load.h"
#include "sim/check.h"
#include "sim/csv.h"
#include "sim/csvread.h"

/* ---- files of values ---------------------------------------------------- */

/* Data files named in a scenario (traces, empirical values) are read whole;
 * a larger one is refused before it is read, and so is anything that is
 * not a regular file (/dev/zero, a FIFO, a folder). See docs/scenario.md. */
#define MAX_DATA_BYTES (64u << 20)
#define MAX_DATA_LINE 4096

/* Reads a data file whole into a NUL-terminated buffer. */
static char *read_data_file(struct loader *L, struct fy_node *at,
                            const char *full, size_t *len)
{
  int error = 0;
  char *text = sim_file_read_all(full, MAX_DATA_BYTES, true, len, &error);
  if (text)
    return text;
  if (error == EFBIG)
    report(L, at, "'%s' is larger than %u MiB; is it really a file of values?",
           full, MAX_DATA_BYTES >> 20);
  else if (error == EINVAL)
    report(L, at, "cannot read '%s': not a regular file", full);
  else
    report(L, at, "cannot read '%s': %s", full, strerror(error));
  return NULL;
}

bool data_table_open(struct loader *L, struct fy_node *at, const char *name,
                     struct data_table *t)
{
  memset(t, 0, sizeof *t);
  t->path = relative_path(L, name);
  size_t len;
  if (!(t->text = read_data_file(L, at, t->path, &len))) {
    data_table_close(t);
    return false;
  }
  size_t skip = strncmp(t->text, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
  size_t header = strcspn(t->text + skip, "\r\n");
  if (memchr(t->text + skip, ';', header) && !memchr(t->text + skip, ',', header)) {
    report(L, at, "%s:1: fields must be separated by commas, not ';'", t->path);
    data_table_close(t);
    return false;
  }
  FILE *f = len > skip ? fmemopen(t->text + skip, len - skip, "r") : NULL;
  if (len > skip && !f)
    sim_out_of_memory(0);
  if (!f) {
    report(L, at, "'%s' is empty", t->path);
    data_table_close(t);
    return false;
  }
  if (sim_csv_reader_init(&t->r, f, t->path, false) != 0) {
    report(L, at, "%s", t->r.error);
    sim_csv_reader_fini(&t->r);
    data_table_close(t);
    return false;
  }
  t->open = true;
  return true;
}

void data_table_close(struct data_table *t)
{
  if (t->open)
    sim_csv_reader_fini(&t->r);
  free(t->text);
  free(t->path);
  memset(t, 0, sizeof *t);
}

/* Reads a column of numbers from a file named in the scenario: the first
 * field of each line (fields are separated by commas); blank lines and
 * lines starting with '#' are skipped, and a first line that is not a
 * number is a header. A UTF-8 byte order mark at the start is skipped.
 * Values must be >= 0. For arrival times (`times`) clock times are
 * accepted too, the values must not decrease, and times at or after the
 * horizon are left out; a trace must hold at least one time before it. */
bool read_column(struct loader *L, struct fy_node *at, const char *name,
                        bool times, double **values, size_t *n)
{
  char *full = relative_path(L, name);
  size_t len;
  char *text = read_data_file(L, at, full, &len);
  if (!text) {
    free(full);
    return false;
  }
  size_t cap = 64, count = 0, line_no = 0, seen = 0;
  double *v = sim_xmalloc(cap * sizeof *v), prev = 0;
  bool ok = true;
  size_t pos = strncmp(text, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
  char shown[64];
  while (ok && pos < len) {
    line_no++;
    const char *line = text + pos;
    const char *eol = memchr(line, '\n', len - pos);
    size_t line_len = eol ? (size_t)(eol - line) : len - pos;
    pos += line_len + (pos + line_len < len);
    const char *nul = memchr(line, '\0', line_len);
    if (nul) {
      report(L, at, "%s:%zu: holds a NUL byte (column %zu): not a text file",
             full, line_no, (size_t)(nul - line) + 1);
      ok = false;
      break;
    }
    if (line_len > MAX_DATA_LINE) {
      report(L, at, "%s:%zu: the line is longer than %u bytes", full, line_no,
             MAX_DATA_LINE);
      ok = false;
      break;
    }
    char field[MAX_DATA_LINE + 1];
    size_t field_len = strcspn(line, ",\r\n"); /* no NUL in the line */
    memcpy(field, line, field_len);
    field[field_len] = '\0';
    excerpt(shown, sizeof shown, field, field_len);
    if (field[0] == '\0' || field[0] == '#')
      continue;
    const char *sep = strpbrk(field, ";\t");
    if (sep) {
      report(L, at, "%s:%zu: fields must be separated by commas, not %s, "
                    "got '%s'", full, line_no, *sep == ';' ? "';'" : "tabs",
             shown);
      ok = false;
      break;
    }
    double x, hours;
    bool is_number = parse_number(field, &x);
    if (!is_number && times && parse_clock(field, &hours)) {
      x = hours * L->m->units_per_hour - L->m->opens;
      is_number = true;
    }
    if (!is_number && line_no == 1)
      continue; /* header */
    if (!is_number) {
      report(L, at, "%s:%zu: expected %s, got '%s'", full, line_no,
             times ? "an arrival time" : "a number >= 0", shown);
      ok = false;
    } else if (x < 0 || (times && seen > 0 && x < prev)) {
      if (times)
        report(L, at, "%s:%zu: arrival times must be >= 0 (opening) and in "
                      "increasing order, got '%s'", full, line_no, shown);
      else
        report(L, at, "%s:%zu: expected a number >= 0, got '%s'", full, line_no,
               shown);
      ok = false;
    } else {
      seen++;
      prev = x;
      if (!times || x < L->m->horizon) { /* after closing: doors shut */
        if (count == cap)
          v = sim_xrealloc(v, cap *= 2, sizeof *v);
        v[count++] = x;
      }
    }
  }
  free(text);
  if (ok && seen == 0) {
    report(L, at, times ? "'%s' holds no arrival times" : "'%s' holds no values",
           full);
    ok = false;
  } else if (ok && count == 0) {
    report(L, at, "'%s' holds no arrival times before the horizon (%g)", full,
           L->m->horizon);
    ok = false;
  }
  free(full);
  if (!ok) {
    free(v);
    return false;
  }
  *values = v;
  *n = count;
  return true;
}

/* ---- distributions ------------------------------------------------------ */

/* A distribution: {dist: KIND, PARAM: VALUE, ...} with the parameters of
 * KIND's row in models/dist.c. An error in a parameter points at it. */
bool distribution(struct loader *L, struct fy_node *n, const char *what,
                  struct model_dist *out)
{
  if (!expect_mapping(L, n, what))
    return false;
  struct fy_node *kind_node = lookup(n, "dist");
  if (!kind_node) {
    report(L, n, "%s needs 'dist'", what);
    return false;
  }
  const char *kind_name = scalar_text(L, kind_node, "dist");
  if (!kind_name)
    return false;
  int kind = model_dist_kind_from_name(kind_name);
  if (kind < 0) {
    const char *names[MODEL_DIST_KINDS + 1];
    for (int k = 0; k < MODEL_DIST_KINDS; k++)
      names[k] = model_dist_rows[k].name;
    names[MODEL_DIST_KINDS] = NULL;
    char hint[96];
    report(L, kind_node, "unknown distribution '%s'%s", kind_name,
           suggestion(hint, sizeof hint, kind_name, names));
    return false;
  }
  const struct model_dist_row *row = &model_dist_rows[kind];
  struct field rows[MODEL_DIST_MAX_PARAMS + 1] = {
    LATER("dist", "the kind of distribution")};
  size_t nrows = 1;
  for (const char *const *q = row->params; *q; q++)
    rows[nrows++] = (struct field)LATER(*q, "a parameter");
  char where[96];
  snprintf(where, sizeof where, "%s distribution", kind_name);
  struct section sec;
  if (!section_read(L, n, where, rows, nrows, NULL, &sec))
    return false;

  struct model_dist_params p = model_dist_params_none();
  for (size_t i = 1; i < nrows; i++) {
    double *slot = model_dist_param(&p, rows[i].key);
    if (slot && sec.given[i] && !number(L, sec.given[i], rows[i].key, ANY, slot))
      return false;
  }

  double *values = NULL;
  size_t nvalues = 0;
  if (kind == MODEL_DIST_EMPIRICAL) {
    struct fy_node *list = section_given(&sec, "values"),
                   *file = section_given(&sec, "file");
    if ((list != NULL) == (file != NULL)) {
      report(L, list ? list : n,
             "empirical needs exactly one of 'values' (a list) and 'file'");
      return false;
    }
    if (list) {
      if (!expect_sequence(L, list, "values"))
        return false;
      int count = fy_node_sequence_item_count(list);
      values = sim_xcalloc((size_t)count, sizeof *values);
      void *iter = NULL;
      struct fy_node *item;
      while ((item = fy_node_sequence_iterate(list, &iter)))
        if (!number(L, item, "each of values", NONNEG, &values[nvalues++])) {
          free(values);
          return false;
        }
    } else {
      const char *name = scalar_text(L, file, "file");
      if (!name || !read_column(L, file, name, false, &values, &nvalues))
        return false;
    }
    p.values = values;
    p.nvalues = nvalues;
  }

  struct model_dist_error e;
  int rc = model_dist_make(out, (enum model_dist_kind)kind, &p, &e);
  free(values);
  if (rc != 0) {
    struct fy_node *at = e.param_name ? section_given(&sec, e.param_name) : NULL;
    report(L, at ? at : n, "%s: %s", what, e.msg);
    return false;
  }
  return true;
}

bool dist_field(struct loader *L, struct fy_node *n, const struct field *f,
                void *base)
{
  return distribution(L, n, f->key, (struct model_dist *)((char *)base + f->offset));
}
