#include "models/scenario.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libfyaml.h>

#include "sim/check.h"

/*
 * The loader walks the YAML tree once, checking each mapping's keys against
 * a table of known keys and each value against its range. Only the first
 * error is reported: later ones are often consequences of the first.
 */

/* ---- an index of names ----------------------------------------------- */

/* Names (department, class, mapping keys) to indices in a hash table, so
 * that resolving n names costs O(n), not O(n^2): scenarios may have tens
 * of thousands of departments. The table refers to the names, it does not
 * copy them. */
struct name_slot {
  const char *name;
  size_t len;
  uint32_t value;
};

struct name_index {
  struct name_slot *slots;   /* NULL name: empty */
  size_t mask;
};

#define NAME_NONE UINT32_MAX

static void name_index_init(struct name_index *ix, size_t count)
{
  size_t cap = 8;
  while (cap < 2 * count)
    cap *= 2;
  ix->slots = sim_xcalloc(cap, sizeof *ix->slots);
  ix->mask = cap - 1;
}

static void name_index_fini(struct name_index *ix)
{
  free(ix->slots);
  ix->slots = NULL;
}

static struct name_slot *name_slot(const struct name_index *ix, const char *name,
                                   size_t len)
{
  uint64_t h = 1469598103934665603u; /* FNV-1a */
  for (size_t i = 0; i < len; i++)
    h = (h ^ (unsigned char)name[i]) * 1099511628211u;
  for (size_t i = (size_t)h & ix->mask;; i = (i + 1) & ix->mask) {
    struct name_slot *slot = &ix->slots[i];
    if (!slot->name ||
        (slot->len == len && memcmp(slot->name, name, len) == 0))
      return slot;
  }
}

/* Adds a name; returns NAME_NONE, or the value of the same name added
 * before (which is kept). At most `count` names (from init) are added. */
static uint32_t name_index_add(struct name_index *ix, const char *name,
                               size_t len, uint32_t value)
{
  struct name_slot *slot = name_slot(ix, name, len);
  if (slot->name)
    return slot->value;
  *slot = (struct name_slot){name, len, value};
  return NAME_NONE;
}

static uint32_t name_index_find(const struct name_index *ix, const char *name)
{
  if (!ix->slots)
    return NAME_NONE;
  struct name_slot *slot = name_slot(ix, name, strlen(name));
  return slot->name ? slot->value : NAME_NONE;
}

struct set_origin {
  struct fy_node *node;   /* a node an override created */
  const char *text;       /* the override as given, "PATH=VALUE" */
};

struct loader {
  const char *path;
  struct fy_diag *diag;
  struct fy_document *doc;
  char *err;
  size_t errlen;
  bool failed;
  struct set_origin *origins;
  size_t norigins;
  struct model *m;
  double default_expect;   /* satisfaction.expect: for classes without one */
  struct name_index department_names, class_names;
  struct fy_node **department_nodes;  /* the mapping of each department */
};

static const char *origin_of(struct loader *L, struct fy_node *at)
{
  for (struct fy_node *n = at; n; n = fy_node_get_parent(n))
    for (size_t i = 0; i < L->norigins; i++)
      if (L->origins[i].node == n)
        return L->origins[i].text;
  return NULL;
}

/* The node to try next when libfyaml has no position for `n`: the key of a
 * mapping value, else the enclosing node. */
static struct fy_node *enclosing(struct fy_node *n)
{
  struct fy_node *parent = fy_node_get_parent(n);
  if (parent && fy_node_get_type(parent) == FYNT_MAPPING) {
    void *iter = NULL;
    struct fy_node_pair *pair;
    while ((pair = fy_node_mapping_iterate(parent, &iter)))
      if (fy_node_pair_value(pair) == n && fy_node_pair_key(pair))
        return fy_node_pair_key(pair);
  }
  return parent;
}

static struct fy_diag_error *last_error(struct loader *L)
{
  struct fy_diag_error *e, *last = NULL;
  void *iter = NULL;
  while ((e = fy_diag_errors_iterate(L->diag, &iter)))
    last = e;
  return last;
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 0)))
#endif
static void vreport(struct loader *L, struct fy_node *at, const char *fmt,
                    va_list ap)
{
  if (L->failed)
    return;
  L->failed = true;
  char msg[768];
  vsnprintf(msg, sizeof msg, fmt, ap);
  const char *origin = at ? origin_of(L, at) : NULL;
  if (origin) {
    snprintf(L->err, L->errlen, "--set %s: error: %s", origin, msg);
    return;
  }
  if (!at) {
    snprintf(L->err, L->errlen, "%s: error: %s", L->path, msg);
    return;
  }
  /* An empty value (`staff:` with nothing after it), and a block list
   * holding one, have no position in libfyaml: use the key or the
   * enclosing node instead. */
  struct fy_diag_error *before = last_error(L), *last = NULL;
  for (struct fy_node *n = at; n && !last; n = enclosing(n)) {
    fy_diag_node_report(L->diag, n, FYET_ERROR, "%s", msg);
    if ((last = last_error(L)) == before)
      last = NULL;
  }
  if (last)
    snprintf(L->err, L->errlen, "%s:%d:%d: error: %s", L->path, last->line,
             last->column, msg);
  else
    snprintf(L->err, L->errlen, "%s: error: %s", L->path, msg);
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void report(struct loader *L, struct fy_node *at, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vreport(L, at, fmt, ap);
  va_end(ap);
}

size_t model_edit_distance(const char *a, const char *b)
{
  size_t la = strlen(a), lb = strlen(b);
  size_t *row = sim_xcalloc(lb + 1, sizeof *row);
  for (size_t j = 0; j <= lb; j++)
    row[j] = j;
  for (size_t i = 1; i <= la; i++) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= lb; j++) {
      size_t up = row[j];
      size_t best = diag + (a[i - 1] != b[j - 1]);
      if (up + 1 < best)
        best = up + 1;
      if (row[j - 1] + 1 < best)
        best = row[j - 1] + 1;
      row[j] = best;
      diag = up;
    }
  }
  size_t d = row[lb];
  free(row);
  return d;
}

static const char *nearest(const char *word, const char *const *known)
{
  const char *best = NULL;
  size_t best_d = SIZE_MAX;
  for (; *known; known++) {
    size_t d = model_edit_distance(word, *known);
    if (d < best_d) {
      best_d = d;
      best = *known;
    }
  }
  return best;
}

static bool in_list(const char *word, const char *const *list)
{
  for (; *list; list++)
    if (strcmp(word, *list) == 0)
      return true;
  return false;
}

/* ---- node access ------------------------------------------------------ */

static const char *node_kind(struct fy_node *n)
{
  switch (fy_node_get_type(n)) {
  case FYNT_SCALAR:
    return "a single value";
  case FYNT_SEQUENCE:
    return "a list";
  case FYNT_MAPPING:
    return "a mapping";
  }
  return "something else";
}

static bool expect_mapping(struct loader *L, struct fy_node *n, const char *what)
{
  if (n && fy_node_get_type(n) == FYNT_MAPPING)
    return true;
  report(L, n, "%s must be a mapping of keys to values, got %s", what,
         n ? node_kind(n) : "nothing");
  return false;
}

static bool expect_sequence(struct loader *L, struct fy_node *n, const char *what)
{
  if (n && fy_node_get_type(n) == FYNT_SEQUENCE)
    return true;
  report(L, n, "%s must be a list, got %s", what, n ? node_kind(n) : "nothing");
  return false;
}

static const char *scalar_text(struct loader *L, struct fy_node *n,
                               const char *what)
{
  if (fy_node_get_type(n) != FYNT_SCALAR) {
    report(L, n, "%s must be a single value, got %s", what, node_kind(n));
    return NULL;
  }
  const char *s = fy_node_get_scalar0(n);
  if (!s)
    sim_out_of_memory(0);
  return s;
}

/* Checks that every key of the mapping is known. */
static bool check_keys(struct loader *L, struct fy_node *map, const char *where,
                       const char *const *known)
{
  void *iter = NULL;
  struct fy_node_pair *pair;
  while ((pair = fy_node_mapping_iterate(map, &iter))) {
    struct fy_node *key = fy_node_pair_key(pair);
    if (!key || fy_node_get_type(key) != FYNT_SCALAR) {
      report(L, key ? key : map, "keys in %s must be plain names", where);
      return false;
    }
    const char *name = fy_node_get_scalar0(key);
    if (in_list(name, known))
      continue;
    report(L, key, "unknown key '%s' in %s; did you mean '%s'?", name, where,
           nearest(name, known));
    return false;
  }
  return true;
}

static struct fy_node *lookup(struct fy_node *map, const char *key)
{
  return fy_node_mapping_lookup_by_string(map, key, FY_NT);
}

static struct fy_node *require(struct loader *L, struct fy_node *map,
                               const char *key, const char *where)
{
  struct fy_node *n = lookup(map, key);
  if (!n)
    report(L, map, "%s needs '%s'", where, key);
  return n;
}

/* Parses a finite number; YAML's .inf and .nan are refused on purpose. */
static bool parse_number(const char *s, double *out)
{
  if (!*s)
    return false;
  char *end;
  errno = 0;
  double x = strtod(s, &end);
  if (*end != '\0' || errno == ERANGE || !isfinite(x))
    return false;
  if ((s[0] == 'i' || s[0] == 'I' || s[0] == 'n' || s[0] == 'N'))
    return false;
  *out = x;
  return true;
}

enum bound { ANY, NONNEG, POSITIVE, PROBABILITY };

static bool number(struct loader *L, struct fy_node *n, const char *what,
                   enum bound bound, double *out)
{
  const char *s = scalar_text(L, n, what);
  if (!s)
    return false;
  double x;
  bool ok = parse_number(s, &x);
  if (ok) {
    switch (bound) {
    case ANY:
      break;
    case NONNEG:
      ok = x >= 0;
      break;
    case POSITIVE:
      ok = x > 0;
      break;
    case PROBABILITY:
      ok = x >= 0 && x <= 1;
      break;
    }
  }
  if (!ok) {
    static const char *const expect[] = {
      [ANY] = "a number", [NONNEG] = "a number >= 0",
      [POSITIVE] = "a number > 0", [PROBABILITY] = "a probability between 0 and 1"};
    report(L, n, "%s must be %s, got '%s'", what, expect[bound], s);
    return false;
  }
  *out = x;
  return true;
}

static bool whole(struct loader *L, struct fy_node *n, const char *what,
                  uint64_t min, uint64_t max, uint64_t *out)
{
  const char *s = scalar_text(L, n, what);
  if (!s)
    return false;
  char *end;
  errno = 0;
  unsigned long long x = strtoull(s, &end, 10);
  bool ok = s[0] >= '0' && s[0] <= '9' && *end == '\0';
  bool too_big = errno == ERANGE; /* beyond 64 bits: "at most" below */
  if (!ok || (x < min && !too_big)) {
    report(L, n, "%s must be a whole number >= %llu, got '%s'", what,
           (unsigned long long)min, s);
    return false;
  }
  if (x > max || too_big) {
    report(L, n, "%s must be at most %llu, got '%s'", what,
           (unsigned long long)max, s);
    return false;
  }
  *out = x;
  return true;
}

static char *text_copy(struct loader *L, struct fy_node *n, const char *what)
{
  const char *s = scalar_text(L, n, what);
  if (!s)
    return NULL;
  if (!*s) {
    report(L, n, "%s must not be empty", what);
    return NULL;
  }
  return sim_xstrdup(s);
}

/* ---- distributions ---------------------------------------------------- */

/* Parameters each distribution takes, besides `dist`. */
static const char *const dist_params[MODEL_DIST_KINDS][5] = {
  [MODEL_DIST_EXPONENTIAL] = {"mean"},
  [MODEL_DIST_DETERMINISTIC] = {"value"},
  [MODEL_DIST_UNIFORM] = {"min", "max"},
  [MODEL_DIST_TRIANGULAR] = {"min", "mode", "max"},
  [MODEL_DIST_NORMAL] = {"mean", "sd"},
  [MODEL_DIST_LOGNORMAL] = {"mean", "sd"},
  [MODEL_DIST_GAMMA] = {"mean", "sd"},
  [MODEL_DIST_ERLANG] = {"k", "mean"},
  [MODEL_DIST_WEIBULL] = {"mean", "shape", "scale"},
  [MODEL_DIST_EMPIRICAL] = {"values", "file"},
};

/* Reads numbers, one per line (the first field of a CSV line); a first line
 * that is not a number is taken as a header. */
/* A file named in the scenario, relative to the scenario's folder. */
static char *relative_path(struct loader *L, const char *name)
{
  if (name[0] == '/')
    return sim_xstrdup(name);
  const char *slash = strrchr(L->path, '/');
  size_t dirlen = slash ? (size_t)(slash - L->path) + 1 : 0;
  char *full = sim_xmalloc(dirlen + strlen(name) + 1);
  memcpy(full, L->path, dirlen);
  strcpy(full + dirlen, name);
  return full;
}

/* "13:00" or "13:00:30" -> hours since midnight; false if not a clock time. */
static bool parse_clock(const char *s, double *hours)
{
  unsigned h, m, sec = 0;
  int used = 0;
  if (sscanf(s, "%2u:%2u%n", &h, &m, &used) != 2)
    return false;
  if (s[used] == ':') {
    int more = 0;
    if (sscanf(s + used + 1, "%2u%n", &sec, &more) != 1)
      return false;
    used += 1 + more;
  }
  if (s[used] != '\0' || h > 48 || m > 59 || sec > 59 || !strchr(s, ':') ||
      s[0] < '0' || s[0] > '9')
    return false;
  *hours = h + m / 60.0 + sec / 3600.0;
  return true;
}

/* Data files named in a scenario (traces, empirical values) are read whole;
 * a larger one is refused before it is read, and so is anything that is
 * not a regular file (/dev/zero, a FIFO, a folder). See docs/scenario.md. */
#define MAX_DATA_BYTES (64u << 20)
#define MAX_DATA_LINE 4096

/* A short, printable excerpt of text from a file, for a message: bytes
 * outside printable ASCII become '?', and more than 40 bytes are cut with
 * "...". Files may hold anything; messages go to terminals. */
static void excerpt(char *out, size_t outlen, const char *s, size_t n)
{
  enum { MAX = 40 };
  size_t k = 0;
  for (size_t i = 0; i < n && i < MAX && k + 1 < outlen; i++) {
    unsigned char c = (unsigned char)s[i];
    out[k++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
  }
  if (n > MAX && k + 4 < outlen) {
    memcpy(out + k, "...", 3);
    k += 3;
  }
  out[k] = '\0';
}

/* Reads a data file whole into a NUL-terminated buffer. */
static char *read_data_file(struct loader *L, struct fy_node *at,
                            const char *full, size_t *len)
{
  int fd = open(full, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    report(L, at, "cannot read '%s': %s", full, strerror(errno));
    if (fd >= 0)
      close(fd);
    return NULL;
  }
  if (!S_ISREG(st.st_mode)) {
    report(L, at, "cannot read '%s': not a regular file", full);
    close(fd);
    return NULL;
  }
  if (st.st_size > (off_t)MAX_DATA_BYTES) {
    report(L, at, "'%s' is larger than %u MiB; is it really a file of values?",
           full, MAX_DATA_BYTES >> 20);
    close(fd);
    return NULL;
  }
  size_t cap = (size_t)st.st_size + 1, n = 0;
  char *text = sim_xmalloc(cap);
  for (;;) {
    ssize_t got = read(fd, text + n, cap - 1 - n);
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0) {
      report(L, at, "cannot read '%s': %s", full, strerror(errno));
      close(fd);
      free(text);
      return NULL;
    }
    if (got == 0)
      break;
    n += (size_t)got;
    if (n == cap - 1) { /* the file grew while being read */
      if (cap > MAX_DATA_BYTES) {
        report(L, at, "'%s' is larger than %u MiB; is it really a file of "
                      "values?", full, MAX_DATA_BYTES >> 20);
        close(fd);
        free(text);
        return NULL;
      }
      text = sim_xrealloc(text, cap *= 2, 1);
    }
  }
  close(fd);
  text[n] = '\0';
  *len = n;
  return text;
}

/* Reads a column of numbers from a file named in the scenario: the first
 * field of each line (fields are separated by commas); blank lines and
 * lines starting with '#' are skipped, and a first line that is not a
 * number is a header. A UTF-8 byte order mark at the start is skipped.
 * Values must be >= 0. For arrival times (`times`) clock times are
 * accepted too, the values must not decrease, and times at or after the
 * horizon are left out; a trace must hold at least one time before it. */
static bool read_column(struct loader *L, struct fy_node *at, const char *name,
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

static bool distribution(struct loader *L, struct fy_node *n, const char *what,
                         struct model_dist *out)
{
  if (!expect_mapping(L, n, what))
    return false;
  struct fy_node *kind_node = require(L, n, "dist", what);
  if (!kind_node)
    return false;
  const char *kind_name = scalar_text(L, kind_node, "dist");
  if (!kind_name)
    return false;
  int kind = model_dist_kind_from_name(kind_name);
  if (kind < 0) {
    const char *names[MODEL_DIST_KINDS + 1];
    memcpy(names, model_dist_names, sizeof model_dist_names);
    names[MODEL_DIST_KINDS] = NULL;
    report(L, kind_node, "unknown distribution '%s'; did you mean '%s'?",
           kind_name, nearest(kind_name, names));
    return false;
  }
  const char *known[7] = {"dist"};
  size_t nk = 1;
  for (size_t i = 0; i < 5 && dist_params[kind][i]; i++)
    known[nk++] = dist_params[kind][i];
  known[nk] = NULL;
  char where[96];
  snprintf(where, sizeof where, "%s distribution", kind_name);
  if (!check_keys(L, n, where, known))
    return false;

  struct model_dist_params p = {NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN,
                                NULL, 0};
  struct {
    const char *key;
    double *slot;
    enum bound bound;
  } fields[] = {
    {"mean", &p.mean, ANY}, {"sd", &p.sd, ANY}, {"value", &p.value, ANY},
    {"min", &p.min, ANY}, {"max", &p.max, ANY}, {"mode", &p.mode, ANY},
    {"k", &p.k, ANY}, {"shape", &p.shape, ANY}, {"scale", &p.scale, ANY},
  };
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
    struct fy_node *v = lookup(n, fields[i].key);
    if (v && !number(L, v, fields[i].key, fields[i].bound, fields[i].slot))
      return false;
  }

  double *values = NULL;
  size_t nvalues = 0;
  if (kind == MODEL_DIST_EMPIRICAL) {
    struct fy_node *list = lookup(n, "values"), *file = lookup(n, "file");
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

  char msg[256];
  int rc = model_dist_make(out, (enum model_dist_kind)kind, &p, msg, sizeof msg);
  free(values);
  if (rc != 0) {
    report(L, n, "%s: %s", what, msg);
    return false;
  }
  return true;
}

/* ---- the scenario ----------------------------------------------------- */

static const char *const top_keys[] = {
  "loket", "name", "time_unit", "opens", "horizon", "closing", "warmup",
  "replications", "seed", "service_level", "classes", "arrivals", "patience",
  "balking", "retrial", "departments", "satisfaction", "output", "sweep",
  "staffing", NULL};
static const char *const sweep_keys[] = {"vary", NULL};
static const char *const output_keys[] = {"interval", "customers", NULL};
static const char *const department_keys[] = {
  "staff", "service", "capacity", "patience", "balking", "retrial", "routes",
  "handoff", "backlog", "cost_per_staff_hour", "classes", NULL};
static const char *const class_keys[] = {
  "share", "priority", "expect", "patience", "balking", "retrial", NULL};
static const char *const class_at_department_keys[] = {
  "service", "patience", "balking", "retrial", "routes", NULL};
static const char *const arrival_keys[] = {"to", "rate", "schedule", "trace",
                                           "class", NULL};
static const char *const route_keys[] = {"to", "p", NULL};
static const char *const service_level_keys[] = {"within", "target", NULL};
static const char *const satisfaction_keys[] = {
  "base", "no_wait_bonus", "expect", "wait_max", "wait_range", "handoff",
  "retrial", "abandoned", "balked", "blocked", "sent_away", NULL};
static const char *const balking_keys[] = {"above", "p", NULL};
static const char *const retrial_keys[] = {"p", "after", NULL};
static const char *const handoff_keys[] = {"p", "after", "to", "delay", NULL};
static const char *const staff_step_keys[] = {"at", "staff", NULL};
static const char *const arrival_step_keys[] = {"at", "per_hour", NULL};

/* ---- times ------------------------------------------------------------ */

/* A point in time: a number of time units since opening, or a clock time
 * ("13:00") converted relative to `opens`. */
static bool time_of_day(struct loader *L, struct fy_node *n, const char *what,
                        enum bound bound, double *out)
{
  const char *s = scalar_text(L, n, what);
  if (!s)
    return false;
  double hours;
  if (strchr(s, ':')) {
    if (!parse_clock(s, &hours)) {
      report(L, n, "%s must be a clock time like \"13:00\" or a number, got '%s'",
             what, s);
      return false;
    }
    double t = hours * L->m->units_per_hour - L->m->opens;
    if (t < -1e-9) {
      report(L, n, "%s '%s' is before opening time", what, s);
      return false;
    }
    *out = t > 0 ? t : 0;
    return true;
  }
  return number(L, n, what, bound, out);
}

/* A schedule: a list of {at: TIME, KEY: VALUE} in increasing time order,
 * each value holding until the next step. A schedule that starts after
 * opening gets a first step of 0 at opening. */
static bool schedule(struct loader *L, struct fy_node *list, const char *what,
                     const char *key, const char *const *keys, bool whole_values,
                     double scale, struct model_step **steps, size_t *nsteps)
{
  if (!expect_sequence(L, list, what))
    return false;
  int count = fy_node_sequence_item_count(list);
  if (count == 0) {
    report(L, list, "%s must list at least one step", what);
    return false;
  }
  struct model_step *s = sim_xcalloc((size_t)count + 1, sizeof *s);
  size_t n = 0;
  *steps = s;
  void *iter = NULL;
  struct fy_node *item;
  while ((item = fy_node_sequence_iterate(list, &iter))) {
    char where[64];
    snprintf(where, sizeof where, "a step of %s", what);
    struct fy_node *at, *value;
    if (!expect_mapping(L, item, where) || !check_keys(L, item, where, keys) ||
        !(at = require(L, item, "at", where)) ||
        !(value = require(L, item, key, where)))
      return false;
    double t, v;
    if (!time_of_day(L, at, "at", NONNEG, &t))
      return false;
    if (whole_values) {
      uint64_t w;
      if (!whole(L, value, key, 0, 1000000, &w))
        return false;
      v = (double)w;
    } else if (!number(L, value, key, NONNEG, &v)) {
      return false;
    }
    if (t >= L->m->horizon) {
      report(L, at, "at must be before the horizon (%g), got %g", L->m->horizon, t);
      return false;
    }
    if (n == 0 && t > 0)
      s[n++] = (struct model_step){0.0, 0.0};
    if (n > 0 && t <= s[n - 1].at) {
      report(L, at, "schedule steps must be in increasing time order");
      return false;
    }
    s[n++] = (struct model_step){t, v * scale};
  }
  *nsteps = n;
  return true;
}

/* ---- names ------------------------------------------------------------ */

/* The index of a name in `names` (count of them), or -1 after reporting
 * it with the nearest known name. */
static int name_index(struct loader *L, struct fy_node *n, const char *what,
                      const char *kind, const struct name_index *ix,
                      char *const *names, size_t count, size_t stride)
{
  const char *name = scalar_text(L, n, what);
  if (!name)
    return -1;
  uint32_t found = name_index_find(ix, name);
  if (found != NAME_NONE)
    return (int)found;
  const char **list = sim_xcalloc(count + 1, sizeof *list);
  for (size_t i = 0; i < count; i++)
    list[i] = *(char *const *)((const char *)names + i * stride);
  report(L, n, "unknown %s '%s'; did you mean '%s'?", kind, name,
         nearest(name, list));
  free(list);
  return -1;
}

static int department_index(struct loader *L, struct fy_node *n, const char *what)
{
  return name_index(L, n, what, "department", &L->department_names,
                    &L->m->departments[0].name, L->m->ndepartments,
                    sizeof *L->m->departments);
}

static int class_index(struct loader *L, struct fy_node *n, const char *what)
{
  return name_index(L, n, what, "class", &L->class_names, &L->m->classes[0].name,
                    L->m->nclasses, sizeof *L->m->classes);
}

/* ---- behaviours ------------------------------------------------------- */

static bool load_balking(struct loader *L, struct fy_node *n,
                         struct model_balking *b)
{
  struct fy_node *above, *p;
  uint64_t v;
  if (!expect_mapping(L, n, "balking") || !check_keys(L, n, "balking", balking_keys) ||
      !(above = require(L, n, "above", "balking")) ||
      !(p = require(L, n, "p", "balking")) ||
      !whole(L, above, "above", 0, MODEL_UNLIMITED - 1, &v) ||
      !number(L, p, "p", PROBABILITY, &b->p))
    return false;
  b->above = v;
  return true;
}

static bool load_retrial(struct loader *L, struct fy_node *n,
                         struct model_retrial *r)
{
  struct fy_node *p, *after;
  if (!expect_mapping(L, n, "retrial") ||
      !check_keys(L, n, "retrial", retrial_keys) ||
      !(p = require(L, n, "p", "retrial")) ||
      !(after = require(L, n, "after", "retrial")) ||
      !number(L, p, "p", PROBABILITY, &r->p) ||
      !distribution(L, after, "after", &r->after))
    return false;
  /* Retrials at once would repeat at the same time without end: the clock
   * would never reach the closing of the doors that stops them. */
  if (!(r->after.mean > 0)) {
    report(L, after, "a retrial's after must have a mean > 0: retrials at "
                     "once could repeat without end");
    return false;
  }
  return true;
}

/* patience, balking and retrial: optional at the top, per class, per
 * department and per class at a department. */
struct behaviour {
  bool has_patience, has_balking, has_retrial;
  struct model_dist *patience;
  struct model_balking *balking;
  struct model_retrial *retrial;
};

static bool load_behaviour(struct loader *L, struct fy_node *map, struct behaviour b,
                           bool *has_patience, bool *has_balking, bool *has_retrial)
{
  struct fy_node *n;
  if ((n = lookup(map, "patience"))) {
    if (!distribution(L, n, "patience", b.patience))
      return false;
    *has_patience = true;
  }
  if ((n = lookup(map, "balking"))) {
    if (!load_balking(L, n, b.balking))
      return false;
    *has_balking = true;
  }
  if ((n = lookup(map, "retrial"))) {
    if (!load_retrial(L, n, b.retrial))
      return false;
    *has_retrial = true;
  }
  return true;
}

static bool load_routes(struct loader *L, struct fy_node *list,
                        struct model_route **routes, size_t *nroutes)
{
  if (!expect_sequence(L, list, "routes"))
    return false;
  int count = fy_node_sequence_item_count(list);
  *routes = sim_xcalloc((size_t)count, sizeof **routes);
  double sum = 0;
  void *iter = NULL;
  struct fy_node *item;
  while ((item = fy_node_sequence_iterate(list, &iter))) {
    if (!expect_mapping(L, item, "a route") ||
        !check_keys(L, item, "a route", route_keys))
      return false;
    struct fy_node *to = require(L, item, "to", "a route");
    struct fy_node *p = require(L, item, "p", "a route");
    struct model_route *r = &(*routes)[*nroutes];
    double prob;
    int d;
    if (!to || !p || (d = department_index(L, to, "to")) < 0 ||
        !number(L, p, "p", PROBABILITY, &prob))
      return false;
    for (size_t i = 0; i < *nroutes; i++)
      if ((*routes)[i].to == (uint32_t)d) {
        report(L, to, "department '%s' is listed twice in these routes",
               L->m->departments[d].name);
        return false;
      }
    r->to = (uint32_t)d;
    r->p = prob;
    (*nroutes)++;
    sum += prob;
    if (sum > 1 + 1e-9) {
      report(L, p, "route probabilities add up to %g, more than 1", sum);
      return false;
    }
  }
  return true;
}

/* Every department must let customers of every class leave eventually, or
 * a replication would never end: some probability must exit, directly or
 * further on. */
static bool check_exits(struct loader *L)
{
  const struct model *m = L->m;
  bool *exits = sim_xcalloc(m->ndepartments, sizeof *exits);
  bool ok = true;
  for (size_t c = 0; c < m->nclasses && ok; c++) {
    memset(exits, 0, m->ndepartments * sizeof *exits);
    for (bool changed = true; changed;) {
      changed = false;
      for (size_t d = 0; d < m->ndepartments; d++) {
        if (exits[d])
          continue;
        const struct model_department *dep = &m->departments[d];
        const struct model_visit *v = &dep->visit[c];
        /* A service ends in a handoff with probability handoff.p, else
         * in the routes (the rest of which exits). */
        double handoff = dep->has_handoff ? dep->handoff.p : 0;
        double sum = 0;
        bool onward = false;
        for (size_t i = 0; i < v->nroutes; i++) {
          sum += v->routes[i].p;
          onward |= v->routes[i].p > 0 && exits[v->routes[i].to];
        }
        if ((handoff < 1 && (sum < 1 - 1e-9 || onward)) ||
            (handoff > 0 && exits[dep->handoff.to]))
          exits[d] = changed = true;
      }
    }
    for (size_t d = 0; d < m->ndepartments && ok; d++) {
      const struct model_department *dep = &m->departments[d];
      struct fy_node *node = L->department_nodes[d];
      if (exits[d])
        continue;
      if (dep->has_handoff && dep->handoff.p >= 1)
        report(L, lookup(lookup(node, "handoff"), "p"),
               "customers can never leave department '%s': every service there "
               "ends in a handoff (p = 1) to departments they cannot leave "
               "either", dep->name);
      else
        report(L, lookup(node, "routes"),
               "customers can never leave department '%s': its routes add up to "
               "1 and lead only to departments they cannot leave either",
               dep->name);
      ok = false;
    }
  }
  free(exits);
  return ok;
}

/* ---- departments ------------------------------------------------------ */

static bool load_department(struct loader *L, struct fy_node *node,
                            struct model_department *dep)
{
  char where[160];
  snprintf(where, sizeof where, "department '%s'", dep->name);
  if (!expect_mapping(L, node, where) || !check_keys(L, node, where, department_keys))
    return false;

  struct fy_node *staff = require(L, node, "staff", where);
  if (!staff)
    return false;
  if (fy_node_get_type(staff) == FYNT_SEQUENCE) {
    if (!schedule(L, staff, "staff", "staff", staff_step_keys, true, 1.0,
                  &dep->staff_schedule, &dep->nstaff_steps))
      return false;
    dep->staff = (uint32_t)dep->staff_schedule[0].value;
  } else {
    uint64_t v;
    if (!whole(L, staff, "staff", 0, 1000000, &v))
      return false;
    dep->staff = (uint32_t)v;
  }

  struct fy_node *service = require(L, node, "service", where);
  if (!service || !distribution(L, service, "service", &dep->service))
    return false;

  dep->capacity = MODEL_UNLIMITED;
  struct fy_node *n = lookup(node, "capacity");
  if (n && !whole(L, n, "capacity", 0, 1000000000, &dep->capacity))
    return false;
  if ((n = lookup(node, "backlog")) && !whole(L, n, "backlog", 0, 10000000, &dep->backlog))
    return false;
  if ((n = lookup(node, "cost_per_staff_hour")) &&
      !number(L, n, "cost_per_staff_hour", NONNEG, &dep->cost_per_staff_hour))
    return false;

  struct behaviour b = {.patience = &dep->patience, .balking = &dep->balking,
                        .retrial = &dep->retrial};
  return load_behaviour(L, node, b, &dep->has_patience, &dep->has_balking,
                        &dep->has_retrial);
}

/* Keys that refer to other departments and classes: routes, handoff and
 * the per-class settings. */
static bool load_department_links(struct loader *L, struct fy_node *node,
                                  uint32_t d)
{
  struct model *m = L->m;
  struct model_department *dep = &m->departments[d];
  struct fy_node *n;
  if ((n = lookup(node, "routes")) && !load_routes(L, n, &dep->routes, &dep->nroutes))
    return false;

  if ((n = lookup(node, "handoff"))) {
    struct model_handoff *h = &dep->handoff;
    struct fy_node *p, *after, *to, *delay;
    int target;
    if (!expect_mapping(L, n, "handoff") || !check_keys(L, n, "handoff", handoff_keys) ||
        !(p = require(L, n, "p", "handoff")) ||
        !(after = require(L, n, "after", "handoff")) ||
        !(to = require(L, n, "to", "handoff")) ||
        !number(L, p, "p", PROBABILITY, &h->p) ||
        !distribution(L, after, "after", &h->after) ||
        (target = department_index(L, to, "to")) < 0)
      return false;
    if ((uint32_t)target == d) {
      report(L, to, "a handoff must go to another department than '%s'", dep->name);
      return false;
    }
    h->to = (uint32_t)target;
    if ((delay = lookup(n, "delay"))) {
      if (!distribution(L, delay, "delay", &h->delay))
        return false;
      h->has_delay = true;
    }
    dep->has_handoff = true;
  }

  dep->class_settings = sim_xcalloc(m->nclasses, sizeof *dep->class_settings);
  if ((n = lookup(node, "classes"))) {
    char where[160];
    snprintf(where, sizeof where, "the classes of department '%s'", dep->name);
    if (!expect_mapping(L, n, where))
      return false;
    void *iter = NULL;
    struct fy_node_pair *pair;
    while ((pair = fy_node_mapping_iterate(n, &iter))) {
      int c = class_index(L, fy_node_pair_key(pair), "a class");
      if (c < 0)
        return false;
      struct fy_node *v = fy_node_pair_value(pair);
      struct model_class_settings *cs = &dep->class_settings[c];
      snprintf(where, sizeof where, "class '%s' at department '%s'",
               m->classes[c].name, dep->name);
      if (!expect_mapping(L, v, where) ||
          !check_keys(L, v, where, class_at_department_keys))
        return false;
      struct fy_node *x;
      if ((x = lookup(v, "service"))) {
        if (!distribution(L, x, "service", &cs->service))
          return false;
        cs->has_service = true;
      }
      if ((x = lookup(v, "routes"))) {
        if (!load_routes(L, x, &cs->routes, &cs->nroutes))
          return false;
        cs->has_routes = true;
      }
      struct behaviour b = {.patience = &cs->patience, .balking = &cs->balking,
                            .retrial = &cs->retrial};
      if (!load_behaviour(L, v, b, &cs->has_patience, &cs->has_balking,
                          &cs->has_retrial))
        return false;
    }
  }
  return true;
}

/* The rule for each class at each department, most specific first:
 * class at the department, the department, the class, the top level. */
static void resolve_visits(struct model *m)
{
  for (size_t d = 0; d < m->ndepartments; d++) {
    struct model_department *dep = &m->departments[d];
    dep->visit = sim_xcalloc(m->nclasses, sizeof *dep->visit);
    for (size_t c = 0; c < m->nclasses; c++) {
      const struct model_class_settings *cs = &dep->class_settings[c];
      const struct model_class *cl = &m->classes[c];
      struct model_visit *v = &dep->visit[c];
      v->service = cs->has_service ? &cs->service : &dep->service;
      v->patience = cs->has_patience ? &cs->patience
                  : dep->has_patience ? &dep->patience
                  : cl->has_patience ? &cl->patience
                  : m->has_patience ? &m->patience : NULL;
      v->balking = cs->has_balking ? &cs->balking
                 : dep->has_balking ? &dep->balking
                 : cl->has_balking ? &cl->balking
                 : m->has_balking ? &m->balking : NULL;
      v->retrial = cs->has_retrial ? &cs->retrial
                 : dep->has_retrial ? &dep->retrial
                 : cl->has_retrial ? &cl->retrial
                 : m->has_retrial ? &m->retrial : NULL;
      v->routes = cs->has_routes ? cs->routes : dep->routes;
      v->nroutes = cs->has_routes ? cs->nroutes : dep->nroutes;
    }
  }
}

/* A department without staff all day, where some class has no patience and
 * there is room to wait, would hold its customers until the end of the
 * replication: almost certainly a mistake. */
static bool check_staffed(struct loader *L)
{
  const struct model *m = L->m;
  for (size_t d = 0; d < m->ndepartments; d++) {
    const struct model_department *dep = &m->departments[d];
    if (dep->staff > 0 || dep->nstaff_steps > 0 || dep->capacity == 0)
      continue;
    for (size_t c = 0; c < m->nclasses; c++)
      if (!dep->visit[c].patience) {
        report(L, lookup(L->department_nodes[d], "staff"),
               "department '%s' has no staff, no patience and room to wait: "
               "its customers would wait forever", dep->name);
        return false;
      }
  }
  return true;
}

/* ---- classes ---------------------------------------------------------- */

static int compare_int_desc(const void *a, const void *b)
{
  int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
  return (x < y) - (x > y);
}

static bool load_classes(struct loader *L, struct fy_node *n)
{
  struct model *m = L->m;
  if (!n) {
    m->classes = sim_xcalloc(1, sizeof *m->classes);
    m->classes[0].name = sim_xstrdup("customer");
    m->classes[0].share = 1.0;
    m->classes[0].expect = L->default_expect;
    m->nclasses = 1;
    name_index_init(&L->class_names, 1);
    name_index_add(&L->class_names, m->classes[0].name,
                   strlen(m->classes[0].name), 0);
  } else {
    if (!expect_mapping(L, n, "classes"))
      return false;
    int count = fy_node_mapping_item_count(n);
    if (count == 0) {
      report(L, n, "classes must name at least one class");
      return false;
    }
    m->classes = sim_xcalloc((size_t)count, sizeof *m->classes);
    name_index_init(&L->class_names, (size_t)count);
    double sum = 0;
    void *iter = NULL;
    struct fy_node_pair *pair;
    while ((pair = fy_node_mapping_iterate(n, &iter))) {
      struct model_class *cl = &m->classes[m->nclasses];
      struct fy_node *key = fy_node_pair_key(pair), *v = fy_node_pair_value(pair);
      if (!key) {
        report(L, n, "a class needs a name");
        return false;
      }
      if (!(cl->name = text_copy(L, key, "a class name")))
        return false;
      m->nclasses++;
      if (name_index_add(&L->class_names, cl->name, strlen(cl->name),
                         (uint32_t)(m->nclasses - 1)) != NAME_NONE) {
        report(L, key, "class '%s' is named twice", cl->name);
        return false;
      }
      char where[160];
      snprintf(where, sizeof where, "class '%s'", cl->name);
      if (!expect_mapping(L, v, where) || !check_keys(L, v, where, class_keys))
        return false;
      struct fy_node *x;
      if ((x = lookup(v, "share"))) {
        if (!number(L, x, "share", PROBABILITY, &cl->share))
          return false;
      } else if (count > 1) {
        report(L, key, "class '%s' needs a 'share' (of arriving customers)", cl->name);
        return false;
      } else {
        cl->share = 1.0;
      }
      sum += cl->share;
      cl->expect = L->default_expect;
      if ((x = lookup(v, "expect")) && !number(L, x, "expect", NONNEG, &cl->expect))
        return false;
      if ((x = lookup(v, "priority"))) {
        double p;
        if (!number(L, x, "priority", ANY, &p))
          return false;
        if (p != floor(p) || fabs(p) > 1000) {
          report(L, x, "priority must be a whole number from -1000 to 1000, got '%s'",
                 fy_node_get_scalar0(x));
          return false;
        }
        cl->priority = (int32_t)p;
      }
      struct behaviour b = {.patience = &cl->patience, .balking = &cl->balking,
                            .retrial = &cl->retrial};
      if (!load_behaviour(L, v, b, &cl->has_patience, &cl->has_balking,
                          &cl->has_retrial))
        return false;
    }
    if (fabs(sum - 1) > 1e-9) {
      report(L, n, "class shares must add up to 1, got %g", sum);
      return false;
    }
  }
  /* Priority levels: distinct priorities, highest first. */
  int32_t *sorted = sim_xcalloc(m->nclasses, sizeof *sorted);
  for (size_t c = 0; c < m->nclasses; c++)
    sorted[c] = m->classes[c].priority;
  qsort(sorted, m->nclasses, sizeof *sorted, compare_int_desc);
  m->npriorities = 0;
  for (size_t c = 0; c < m->nclasses; c++)
    if (c == 0 || sorted[c] != sorted[c - 1])
      sorted[m->npriorities++] = sorted[c];
  /* The simulation keeps a customer's level in a byte. */
  if (m->npriorities > MODEL_MAX_PRIORITIES) {
    free(sorted);
    report(L, n, "classes have %u distinct priorities; at most %d are "
                 "supported", m->npriorities, MODEL_MAX_PRIORITIES);
    return false;
  }
  m->priority_level = sim_xcalloc(m->nclasses, sizeof *m->priority_level);
  for (size_t c = 0; c < m->nclasses; c++)
    for (uint32_t l = 0; l < m->npriorities; l++)
      if (sorted[l] == m->classes[c].priority)
        m->priority_level[c] = l;
  free(sorted);
  return true;
}

/* ---- arrivals --------------------------------------------------------- */

/* At most this many arrivals are expected in one replication (a rate of
 * 1e300 would otherwise run for ever). */
#define MAX_ARRIVALS 1e9

static const char *unit_singular(const struct model *m)
{
  return m->units_per_hour == 3600 ? "second"
         : m->units_per_hour == 60 ? "minute" : "hour";
}

static bool load_arrivals(struct loader *L, struct fy_node *list)
{
  double expected = 0;
  if (!expect_sequence(L, list, "arrivals"))
    return false;
  struct model *m = L->m;
  int count = fy_node_sequence_item_count(list);
  if (count == 0) {
    report(L, list, "arrivals must list at least one arrival stream");
    return false;
  }
  m->arrivals = sim_xcalloc((size_t)count, sizeof *m->arrivals);
  void *iter = NULL;
  struct fy_node *item;
  while ((item = fy_node_sequence_iterate(list, &iter))) {
    const char *where = "an arrival stream";
    if (!expect_mapping(L, item, where) || !check_keys(L, item, where, arrival_keys))
      return false;
    struct model_arrival *a = &m->arrivals[m->narrivals++];
    struct fy_node *to = require(L, item, "to", where);
    int d;
    if (!to || (d = department_index(L, to, "to")) < 0)
      return false;
    a->to = (uint32_t)d;
    a->cls = -1;
    struct fy_node *n;
    if ((n = lookup(item, "class")) && (a->cls = class_index(L, n, "class")) < 0)
      return false;
    struct fy_node *rate = lookup(item, "rate"), *sched = lookup(item, "schedule"),
                   *trace = lookup(item, "trace");
    if ((rate != NULL) + (sched != NULL) + (trace != NULL) != 1) {
      report(L, rate ? rate : sched ? sched : trace ? trace : item,
             "an arrival stream needs exactly one of 'rate', 'schedule' and 'trace'");
      return false;
    }
    if (rate) {
      a->kind = MODEL_ARRIVAL_RATE;
      if (!number(L, rate, "rate", POSITIVE, &a->rate))
        return false;
      a->mean_gap = 1.0 / a->rate;
      expected += a->rate * m->horizon;
    } else if (sched) {
      a->kind = MODEL_ARRIVAL_SCHEDULE;
      if (!schedule(L, sched, "schedule", "per_hour", arrival_step_keys, false,
                    1.0 / m->units_per_hour, &a->schedule, &a->nsteps))
        return false;
      for (size_t i = 0; i < a->nsteps; i++) {
        double end = i + 1 < a->nsteps ? a->schedule[i + 1].at : m->horizon;
        expected += a->schedule[i].value * (end - a->schedule[i].at);
      }
    } else {
      a->kind = MODEL_ARRIVAL_TRACE;
      const char *name = scalar_text(L, trace, "trace");
      if (!name || !read_column(L, trace, name, true, &a->times, &a->ntimes))
        return false;
      expected += (double)a->ntimes;
    }
    /* A replication simulates every arrival: bound the work. */
    if (expected > MAX_ARRIVALS) {
      report(L, rate ? rate : sched ? sched : trace,
             "the arrivals expected in a replication add up to %.3g; at most "
             "1e9 are simulated (rates are per %s)", expected, unit_singular(m));
      return false;
    }
  }
  return true;
}

/* Sweep values: a comma list, or a range LO:HI:STEP. At most 100000. */
int model_axis_values(struct model_axis *axis, const char *spec, char *err,
                      size_t errlen)
{
  const char *colon = strchr(spec, ':');
  if (colon && !strchr(spec, ',')) {
    double lo, hi, step;
    char extra;
    if (sscanf(spec, "%lf:%lf:%lf%c", &lo, &hi, &step, &extra) != 3 ||
        !isfinite(lo) || !isfinite(hi) || !isfinite(step)) {
      snprintf(err, errlen, "'%s' is not a range LO:HI:STEP", spec);
      return -1;
    }
    if (!(step > 0) || hi < lo) {
      snprintf(err, errlen, "in '%s' the step must be > 0 and HI at least LO", spec);
      return -1;
    }
    double count = floor((hi - lo) / step + 1e-9) + 1;
    if (count > 100000) {
      snprintf(err, errlen, "'%s' gives %.0f values; at most 100000", spec, count);
      return -1;
    }
    axis->nvalues = (size_t)count;
    axis->values = sim_xcalloc(axis->nvalues, sizeof *axis->values);
    for (size_t i = 0; i < axis->nvalues; i++) {
      char buf[64];
      double x = lo + (double)i * step;
      /* Whole numbers stay whole ("3", not "3.0000000001"). */
      if (fabs(x - nearbyint(x)) < 1e-9 * fmax(1, fabs(x)))
        x = nearbyint(x);
      snprintf(buf, sizeof buf, "%.10g", x);
      axis->values[i] = sim_xstrdup(buf);
    }
    return 0;
  }
  size_t n = 1;
  for (const char *p = spec; *p; p++)
    n += *p == ',';
  axis->values = sim_xcalloc(n, sizeof *axis->values);
  const char *start = spec;
  for (size_t i = 0; i < n; i++) {
    const char *end = strchr(start, ',');
    size_t len = end ? (size_t)(end - start) : strlen(start);
    if (len == 0) {
      snprintf(err, errlen, "'%s' has an empty value", spec);
      axis->nvalues = i;
      return -1;
    }
    axis->values[i] = sim_xmalloc(len + 1);
    memcpy(axis->values[i], start, len);
    axis->values[i][len] = '\0';
    axis->nvalues = i + 1;
    start = end ? end + 1 : start + len;
  }
  return 0;
}

void model_axis_fini(struct model_axis *a)
{
  for (size_t i = 0; i < a->nvalues; i++)
    free(a->values[i]);
  free(a->values);
  free(a->path);
  a->values = NULL;
  a->path = NULL;
  a->nvalues = 0;
}

/* sweep: {vary: {PATH: [V1, V2, ...] or "LO:HI:STEP", ...}} — what
 * `loket sweep` varies when no --vary is given. */
static bool load_sweep(struct loader *L, struct fy_node *n)
{
  struct model *m = L->m;
  struct fy_node *vary;
  if (!n)
    return true;
  if (!expect_mapping(L, n, "sweep") || !check_keys(L, n, "sweep", sweep_keys) ||
      !(vary = require(L, n, "vary", "sweep")) || !expect_mapping(L, vary, "vary"))
    return false;
  int count = fy_node_mapping_item_count(vary);
  m->axes = sim_xcalloc(count > 0 ? (size_t)count : 1, sizeof *m->axes);
  void *iter = NULL;
  struct fy_node_pair *pair;
  while ((pair = fy_node_mapping_iterate(vary, &iter))) {
    struct model_axis *a = &m->axes[m->naxes];
    struct fy_node *key = fy_node_pair_key(pair), *v = fy_node_pair_value(pair);
    if (!key || !(a->path = text_copy(L, key, "a path to vary")))
      return false;
    m->naxes++;
    if (v && fy_node_get_type(v) == FYNT_SEQUENCE) {
      int nv = fy_node_sequence_item_count(v);
      if (nv == 0) {
        report(L, v, "the values of '%s' must not be empty", a->path);
        return false;
      }
      a->values = sim_xcalloc((size_t)nv, sizeof *a->values);
      void *it = NULL;
      struct fy_node *item;
      while ((item = fy_node_sequence_iterate(v, &it))) {
        char *text = text_copy(L, item, "a value to vary");
        if (!text)
          return false;
        a->values[a->nvalues++] = text;
      }
    } else {
      const char *spec = v ? scalar_text(L, v, "the values to vary") : NULL;
      char msg[256];
      if (!v)
        report(L, key, "'%s' needs a list of values or a range LO:HI:STEP", a->path);
      if (!spec)
        return false;
      if (model_axis_values(a, spec, msg, sizeof msg) != 0) {
        report(L, v, "%s", msg);
        return false;
      }
    }
  }
  return true;
}

/* output: the time series' interval and the customer trace. Without an
 * interval the series has 15-minute intervals, or horizon/1000 when that
 * would give more than 1000 of them. */
static bool load_output(struct loader *L, struct fy_node *n)
{
  struct model *m = L->m;
  m->interval = 15.0 * m->units_per_hour / 60;
  if (m->horizon / m->interval > 1000)
    m->interval = m->horizon / 1000;
  if (n) {
    struct fy_node *x;
    if (!expect_mapping(L, n, "output") || !check_keys(L, n, "output", output_keys))
      return false;
    if ((x = lookup(n, "interval"))) {
      if (!number(L, x, "interval", POSITIVE, &m->interval))
        return false;
      if (m->horizon / m->interval > 100000) {
        report(L, x, "interval %g gives %.0f intervals in the horizon; at most "
                     "100000 are kept (make the interval longer)",
               m->interval, ceil(m->horizon / m->interval));
        return false;
      }
    }
    if ((x = lookup(n, "customers"))) {
      const char *v = scalar_text(L, x, "customers");
      if (!v)
        return false;
      if (strcmp(v, "true") == 0)
        m->trace_customers = true;
      else if (strcmp(v, "false") != 0) {
        report(L, x, "customers must be true or false, got '%s'", v);
        return false;
      }
    }
  }
  double count = ceil(m->horizon / m->interval - 1e-9);
  m->nintervals = count < 1 ? 1 : (uint32_t)count;
  return true;
}

/* The satisfaction model's parameters (docs/satisfaction.md). */
static bool load_satisfaction(struct loader *L, struct fy_node *n)
{
  struct model *m = L->m;
  struct model_satisfaction *s = &m->satisfaction;
  model_satisfaction_defaults(s, m->units_per_hour / 60);
  L->default_expect = 5.0 * m->units_per_hour / 60;
  if (!n)
    return true;
  if (!expect_mapping(L, n, "satisfaction") ||
      !check_keys(L, n, "satisfaction", satisfaction_keys))
    return false;
  struct {
    const char *key;
    double *slot;
    enum bound bound;
  } fields[] = {
    {"base", &s->base, NONNEG}, {"no_wait_bonus", &s->no_wait_bonus, NONNEG},
    {"expect", &L->default_expect, NONNEG}, {"wait_max", &s->wait_max, NONNEG},
    {"wait_range", &s->wait_range, POSITIVE}, {"handoff", &s->handoff, NONNEG},
    {"retrial", &s->retrial, NONNEG}, {"abandoned", &s->abandoned, NONNEG},
    {"balked", &s->balked, NONNEG}, {"blocked", &s->blocked, NONNEG},
    {"sent_away", &s->sent_away, NONNEG},
  };
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
    struct fy_node *v = lookup(n, fields[i].key);
    if (v && !number(L, v, fields[i].key, fields[i].bound, fields[i].slot))
      return false;
    double x = *fields[i].slot;
    bool is_score = fields[i].slot != &L->default_expect &&
                    fields[i].slot != &s->wait_range;
    if (v && is_score && x > 10) {
      report(L, v, "%s must be at most 10 (points on the 0-10 scale), got %g",
             fields[i].key, x);
      return false;
    }
  }
  model_satisfaction_prepare(s);
  return true;
}

/* ---- staffing --------------------------------------------------------- */

static const char *const staffing_keys[] = {
  "interval", "departments", "target", "min_staff", "max_staff", "shrinkage",
  "confidence", "cost_per_paid_hour", "shifts", NULL};
static const char *const target_keys[] = {"service_level", "abandoned",
                                          "wait_mean", NULL};
static const char *const shift_keys[] = {"name", "length", "start", "step",
                                         "break", NULL};
static const char *const break_keys[] = {"length", "start", "paid", NULL};

/* A duration: a number of time units, or hours and minutes "H:MM" (also
 * "H:MM:SS"), converted to time units. */
static bool duration(struct loader *L, struct fy_node *n, const char *what,
                     enum bound bound, double *out)
{
  const char *s = scalar_text(L, n, what);
  if (!s)
    return false;
  if (!strchr(s, ':'))
    return number(L, n, what, bound, out);
  double hours;
  if (!parse_clock(s, &hours) || (bound == POSITIVE && !(hours > 0))) {
    report(L, n, "%s must be a duration like \"1:30\" (hours and minutes) or "
                 "a number%s, got '%s'", what, bound == POSITIVE ? " > 0" : "", s);
    return false;
  }
  *out = hours * L->m->units_per_hour;
  return true;
}

static bool boolean(struct loader *L, struct fy_node *n, const char *what,
                    bool *out)
{
  const char *v = scalar_text(L, n, what);
  if (!v)
    return false;
  if (strcmp(v, "true") == 0 || strcmp(v, "false") == 0) {
    *out = v[0] == 't';
    return true;
  }
  report(L, n, "%s must be true or false, got '%s'", what, v);
  return false;
}

/* A window of start times: one value, or a list [first, last] with
 * first <= last. `point` reads each end (a time of day or a duration). */
static bool window(struct loader *L, struct fy_node *n, const char *what,
                   bool (*point)(struct loader *, struct fy_node *, const char *,
                                 enum bound, double *),
                   double *first, double *last)
{
  if (fy_node_get_type(n) != FYNT_SEQUENCE) {
    if (!point(L, n, what, NONNEG, first))
      return false;
    *last = *first;
    return true;
  }
  if (fy_node_sequence_item_count(n) != 2) {
    report(L, n, "%s must be one time or a list of two, [first, last]; got a "
                 "list of %d", what, fy_node_sequence_item_count(n));
    return false;
  }
  struct fy_node *a = fy_node_sequence_get_by_index(n, 0),
                 *b = fy_node_sequence_get_by_index(n, 1);
  if (!point(L, a, what, NONNEG, first) || !point(L, b, what, NONNEG, last))
    return false;
  if (*last < *first) {
    report(L, b, "the last %s must not be before the first", what);
    return false;
  }
  return true;
}

static bool load_shift(struct loader *L, struct fy_node *item, double interval,
                       struct model_shift *sh)
{
  const char *where = "a shift";
  struct fy_node *name, *length, *start, *x;
  if (!expect_mapping(L, item, where) || !check_keys(L, item, where, shift_keys) ||
      !(name = require(L, item, "name", where)) ||
      !(sh->name = text_copy(L, name, "name")))
    return false;
  char here[160];
  snprintf(here, sizeof here, "shift '%s'", sh->name);
  if (!(length = require(L, item, "length", here)) ||
      !duration(L, length, "length", POSITIVE, &sh->length) ||
      !(start = require(L, item, "start", here)) ||
      !window(L, start, "start", time_of_day, &sh->start_first, &sh->start_last))
    return false;
  if (sh->start_last >= L->m->horizon) {
    report(L, start, "shift '%s' must start before the horizon (%g), got %g",
           sh->name, L->m->horizon, sh->start_last);
    return false;
  }
  sh->step = interval;
  if ((x = lookup(item, "step")) && !duration(L, x, "step", POSITIVE, &sh->step))
    return false;
  struct fy_node *brk = lookup(item, "break");
  if (!brk)
    return true;
  snprintf(here, sizeof here, "the break of shift '%s'", sh->name);
  struct fy_node *blength, *bstart;
  if (!expect_mapping(L, brk, "break") || !check_keys(L, brk, "break", break_keys) ||
      !(blength = require(L, brk, "length", here)) ||
      !duration(L, blength, "length", POSITIVE, &sh->break_length) ||
      !(bstart = require(L, brk, "start", here)) ||
      !window(L, bstart, "start", duration, &sh->break_first, &sh->break_last))
    return false;
  if ((x = lookup(brk, "paid")) && !boolean(L, x, "paid", &sh->break_paid))
    return false;
  if (sh->break_last + sh->break_length > sh->length + 1e-9) {
    report(L, bstart, "the break of shift '%s' must end within the shift: "
                      "starting %g after the shift's start and lasting %g, it "
                      "ends after the shift's length %g", sh->name,
           sh->break_last, sh->break_length, sh->length);
    return false;
  }
  sh->has_break = true;
  return true;
}

/* staffing: the brief of `loket staff` (docs/staffing.md). Read after the
 * departments (it names them) and the output block (its default interval). */
static bool load_staffing(struct loader *L, struct fy_node *root)
{
  struct model *m = L->m;
  struct model_staffing *st = &m->staffing;
  *st = (struct model_staffing){
    .interval = m->interval, .target_service_level = NAN,
    .target_abandoned = NAN, .target_wait_mean = NAN, .max_staff = 1000,
    .cost_per_paid_hour = NAN};
  struct fy_node *n = lookup(root, "staffing"), *x;
  if (!n)
    return true;
  st->present = true;
  if (!expect_mapping(L, n, "staffing") ||
      !check_keys(L, n, "staffing", staffing_keys))
    return false;

  if ((x = lookup(n, "interval"))) {
    if (!number(L, x, "interval", POSITIVE, &st->interval))
      return false;
    if (m->horizon / st->interval > 100000) {
      report(L, x, "interval %g gives %.0f planning intervals in the horizon; "
                   "at most 100000 (make the interval longer)",
             st->interval, ceil(m->horizon / st->interval));
      return false;
    }
  }

  st->plan = sim_xcalloc(m->ndepartments, sizeof *st->plan);
  if ((x = lookup(n, "departments"))) {
    if (!expect_sequence(L, x, "departments"))
      return false;
    if (fy_node_sequence_item_count(x) == 0) {
      report(L, x, "departments must name at least one department to plan");
      return false;
    }
    void *iter = NULL;
    struct fy_node *item;
    while ((item = fy_node_sequence_iterate(x, &iter))) {
      int d = department_index(L, item, "a department to plan");
      if (d < 0)
        return false;
      if (st->plan[d]) {
        report(L, item, "department '%s' is listed twice", m->departments[d].name);
        return false;
      }
      st->plan[d] = true;
    }
  } else {
    for (size_t d = 0; d < m->ndepartments; d++)
      st->plan[d] = true;
  }

  struct fy_node *target = require(L, n, "target", "staffing");
  if (!target || !expect_mapping(L, target, "target") ||
      !check_keys(L, target, "target", target_keys))
    return false;
  if ((x = lookup(target, "service_level"))) {
    if (!number(L, x, "service_level", PROBABILITY, &st->target_service_level))
      return false;
    if (!lookup(root, "service_level")) {
      report(L, x, "a service_level target needs service_level.within at the "
                   "top of the scenario (the wait that counts as in time)");
      return false;
    }
  }
  if ((x = lookup(target, "abandoned")) &&
      !number(L, x, "abandoned", PROBABILITY, &st->target_abandoned))
    return false;
  if ((x = lookup(target, "wait_mean")) &&
      !number(L, x, "wait_mean", POSITIVE, &st->target_wait_mean))
    return false;
  if (isnan(st->target_service_level) && isnan(st->target_abandoned) &&
      isnan(st->target_wait_mean)) {
    report(L, target, "target needs at least one of 'service_level', "
                      "'abandoned' and 'wait_mean'");
    return false;
  }

  uint64_t v;
  if ((x = lookup(n, "min_staff"))) {
    if (!whole(L, x, "min_staff", 0, 1000000, &v))
      return false;
    st->min_staff = (uint32_t)v;
  }
  if ((x = lookup(n, "max_staff"))) {
    if (!whole(L, x, "max_staff", 1, 1000000, &v))
      return false;
    st->max_staff = (uint32_t)v;
  }
  if (st->max_staff < st->min_staff) {
    report(L, x ? x : lookup(n, "min_staff"),
           "max_staff (%u) must be at least min_staff (%u)", st->max_staff,
           st->min_staff);
    return false;
  }
  if ((x = lookup(n, "shrinkage"))) {
    if (!number(L, x, "shrinkage", NONNEG, &st->shrinkage))
      return false;
    if (st->shrinkage >= 1) {
      report(L, x, "shrinkage must be at least 0 and below 1, got '%s'",
             fy_node_get_scalar0(x));
      return false;
    }
  }
  if ((x = lookup(n, "confidence"))) {
    if (!number(L, x, "confidence", NONNEG, &st->confidence))
      return false;
    if (st->confidence != 0 && !(st->confidence > 0.5 && st->confidence < 1)) {
      report(L, x, "confidence must be 0 (targets hold for the mean) or "
                   "between 0.5 and 1, got '%s'", fy_node_get_scalar0(x));
      return false;
    }
  }
  if ((x = lookup(n, "cost_per_paid_hour")) &&
      !number(L, x, "cost_per_paid_hour", NONNEG, &st->cost_per_paid_hour))
    return false;

  if (!(x = lookup(n, "shifts")))
    return true;
  if (!expect_sequence(L, x, "shifts"))
    return false;
  int count = fy_node_sequence_item_count(x);
  if (count == 0) {
    report(L, x, "shifts must list at least one shift");
    return false;
  }
  st->shifts = sim_xcalloc((size_t)count, sizeof *st->shifts);
  void *iter = NULL;
  struct fy_node *item;
  while ((item = fy_node_sequence_iterate(x, &iter))) {
    struct model_shift *sh = &st->shifts[st->nshifts++];
    if (!load_shift(L, item, st->interval, sh))
      return false;
    for (size_t i = 0; i + 1 < st->nshifts; i++)
      if (strcmp(st->shifts[i].name, sh->name) == 0) {
        report(L, lookup(item, "name"), "shift '%s' is listed twice", sh->name);
        return false;
      }
  }
  return true;
}

static char *default_name(const char *path)
{
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  char *name = sim_xstrdup(base);
  char *dot = strrchr(name, '.');
  if (dot && dot != name)
    *dot = '\0';
  return name;
}

static bool load_model(struct loader *L, struct fy_node *root)
{
  struct model *m = L->m;
  if (!expect_mapping(L, root, "a scenario") ||
      !check_keys(L, root, "the scenario", top_keys))
    return false;

  struct fy_node *n;
  uint64_t v;
  if ((n = lookup(root, "loket")) && !whole(L, n, "loket (the schema version)", 1, 1, &v))
    return false;

  n = lookup(root, "name");
  m->name = n ? text_copy(L, n, "name") : default_name(L->path);
  if (!m->name)
    return false;

  m->time_unit = sim_xstrdup("minutes");
  m->units_per_hour = 60;
  if ((n = lookup(root, "time_unit"))) {
    static const char *const units[] = {"seconds", "minutes", "hours", NULL};
    static const double per_hour[] = {3600, 60, 1};
    const char *s = scalar_text(L, n, "time_unit");
    if (!s)
      return false;
    size_t i = 0;
    while (units[i] && strcmp(units[i], s) != 0)
      i++;
    if (!units[i]) {
      report(L, n, "time_unit must be seconds, minutes or hours, got '%s'", s);
      return false;
    }
    free(m->time_unit);
    m->time_unit = sim_xstrdup(units[i]);
    m->units_per_hour = per_hour[i];
  }

  if ((n = lookup(root, "opens"))) {
    const char *s = scalar_text(L, n, "opens");
    double hours;
    if (!s || !parse_clock(s, &hours) || hours >= 24) {
      if (s)
        report(L, n, "opens must be a clock time like \"09:00\", got '%s'", s);
      return false;
    }
    m->opens = hours * m->units_per_hour;
  }

  struct fy_node *horizon = require(L, root, "horizon", "the scenario");
  if (!horizon || !time_of_day(L, horizon, "horizon", POSITIVE, &m->horizon))
    return false;
  if (!(m->horizon > 0)) {
    report(L, horizon, "horizon must be a number > 0, got '%s'",
           fy_node_get_scalar0(horizon));
    return false;
  }
  if (m->horizon > 1e12) {
    report(L, horizon, "horizon must be at most 1e12, got %g", m->horizon);
    return false;
  }
  if ((n = lookup(root, "closing"))) {
    const char *s = scalar_text(L, n, "closing");
    if (!s)
      return false;
    if (strcmp(s, "drain") == 0)
      m->closing = MODEL_CLOSING_DRAIN;
    else if (strcmp(s, "cut") == 0)
      m->closing = MODEL_CLOSING_CUT;
    else {
      report(L, n, "closing must be drain or cut, got '%s'", s);
      return false;
    }
  }
  if ((n = lookup(root, "warmup"))) {
    if (!time_of_day(L, n, "warmup", NONNEG, &m->warmup))
      return false;
    if (m->warmup >= m->horizon) {
      report(L, n, "warmup must be shorter than the horizon (%g), got %g",
             m->horizon, m->warmup);
      return false;
    }
  }
  m->replications = 10;
  if ((n = lookup(root, "replications"))) {
    if (!whole(L, n, "replications", 1, 1000000, &v))
      return false;
    m->replications = (uint32_t)v;
  }
  m->service_level_target = NAN;
  m->seed = 1;
  if ((n = lookup(root, "seed")) && !whole(L, n, "seed", 0, UINT64_MAX, &m->seed))
    return false;
  if ((n = lookup(root, "service_level"))) {
    struct fy_node *within;
    if (!expect_mapping(L, n, "service_level") ||
        !check_keys(L, n, "service_level", service_level_keys) ||
        !(within = require(L, n, "within", "service_level")) ||
        !number(L, within, "within", NONNEG, &m->service_level_within))
      return false;
    struct fy_node *target = lookup(n, "target");
    if (target && !number(L, target, "target", PROBABILITY, &m->service_level_target))
      return false;
  }
  if (!load_satisfaction(L, lookup(root, "satisfaction")) ||
      !load_output(L, lookup(root, "output")) ||
      !load_sweep(L, lookup(root, "sweep")))
    return false;

  struct behaviour b = {.patience = &m->patience, .balking = &m->balking,
                        .retrial = &m->retrial};
  if (!load_behaviour(L, root, b, &m->has_patience, &m->has_balking, &m->has_retrial))
    return false;
  if (!load_classes(L, lookup(root, "classes")))
    return false;

  /* Departments: names first, as routes and handoffs refer to them. */
  struct fy_node *departments = require(L, root, "departments", "the scenario");
  if (!departments || !expect_mapping(L, departments, "departments"))
    return false;
  int count = fy_node_mapping_item_count(departments);
  if (count == 0) {
    report(L, departments, "departments must name at least one department");
    return false;
  }
  m->departments = sim_xcalloc((size_t)count, sizeof *m->departments);
  L->department_nodes = sim_xcalloc((size_t)count, sizeof *L->department_nodes);
  name_index_init(&L->department_names, (size_t)count);
  void *iter = NULL;
  struct fy_node_pair *pair;
  while ((pair = fy_node_mapping_iterate(departments, &iter))) {
    struct model_department *dep = &m->departments[m->ndepartments];
    struct fy_node *key = fy_node_pair_key(pair);
    if (!key) {
      report(L, departments, "a department needs a name");
      return false;
    }
    if (!(dep->name = text_copy(L, key, "a department name")))
      return false;
    L->department_nodes[m->ndepartments] = fy_node_pair_value(pair);
    if (name_index_add(&L->department_names, dep->name, strlen(dep->name),
                       (uint32_t)m->ndepartments) != NAME_NONE) {
      report(L, key, "department '%s' is named twice", dep->name);
      m->ndepartments++;
      return false;
    }
    m->ndepartments++;
  }
  for (size_t d = 0; d < m->ndepartments; d++)
    if (!load_department(L, L->department_nodes[d], &m->departments[d]))
      return false;
  for (uint32_t d = 0; d < m->ndepartments; d++)
    if (!load_department_links(L, L->department_nodes[d], d))
      return false;
  resolve_visits(m);
  if (!check_exits(L) || !check_staffed(L))
    return false;

  struct fy_node *arrivals = require(L, root, "arrivals", "the scenario");
  return arrivals && load_arrivals(L, arrivals) && load_staffing(L, root);
}

/* ---- overrides -------------------------------------------------------- */

static bool apply_set(struct loader *L, const char *assignment)
{
  const char *eq = strchr(assignment, '=');
  if (!eq || eq == assignment) {
    snprintf(L->err, L->errlen,
             "--set %s: error: expected PATH=VALUE, e.g. departments.desk.staff=4",
             assignment);
    L->failed = true;
    return false;
  }
  char *path = sim_xstrdup(assignment);
  path[eq - assignment] = '\0';
  const char *value = eq + 1;

  struct fy_node *node = fy_document_root(L->doc);
  struct fy_node_pair *pair = NULL;
  struct fy_node *parent = NULL;
  char *save = NULL, *part = strtok_r(path, ".", &save);
  bool ok = true;
  char *missing = NULL;
  while (part && ok) {
    char *next = strtok_r(NULL, ".", &save);
    parent = node;
    pair = NULL;
    if (fy_node_get_type(node) == FYNT_MAPPING) {
      pair = fy_node_mapping_lookup_pair_by_string(node, part, FY_NT);
      node = pair ? fy_node_pair_value(pair) : NULL;
      if (!node) {
        if (next && !pair && parent == fy_document_root(L->doc)) {
          /* A new top-level block (output.customers=true without an
           * output: block); validation still checks its name. Deeper down
           * a missing name is more likely a typo, see below. */
          struct fy_node *key = fy_node_create_scalar_copy(L->doc, part, FY_NT);
          struct fy_node *map = fy_node_create_mapping(L->doc);
          ok = key && map && fy_node_mapping_append(parent, key, map) == 0;
          L->origins = sim_xrealloc(L->origins, L->norigins + 2, sizeof *L->origins);
          L->origins[L->norigins++] = (struct set_origin){key, assignment};
          L->origins[L->norigins++] = (struct set_origin){map, assignment};
          node = map;
          if (!ok)
            snprintf(L->err, L->errlen, "--set %s: error: cannot apply this override",
                     assignment);
        } else if (next) {
          snprintf(L->err, L->errlen, "--set %s: error: the scenario has no '%s' here",
                   assignment, part);
          ok = false;
        } else {
          missing = part; /* a new key in an existing mapping */
        }
      }
    } else if (fy_node_get_type(node) == FYNT_SEQUENCE) {
      char *end;
      long index = strtol(part, &end, 10);
      int count = fy_node_sequence_item_count(node);
      if (*end || index < 0 || index >= count) {
        snprintf(L->err, L->errlen,
                 "--set %s: error: '%s' is not an index of this list "
                 "(0 to %d)", assignment, part, count - 1);
        ok = false;
      } else {
        node = fy_node_sequence_get_by_index(node, (int)index);
      }
    } else {
      snprintf(L->err, L->errlen, "--set %s: error: '%s' is inside a single value",
               assignment, part);
      ok = false;
    }
    part = next;
  }

  struct fy_node *replacement = NULL;
  if (ok) {
    replacement = *value ? fy_node_build_from_string(L->doc, value, FY_NT) : NULL;
    if (!replacement) {
      snprintf(L->err, L->errlen, "--set %s: error: the value is not valid YAML",
               assignment);
      ok = false;
    }
  }
  if (ok) {
    L->origins = sim_xrealloc(L->origins, L->norigins + 1, sizeof *L->origins);
    L->origins[L->norigins++] = (struct set_origin){replacement, assignment};
    if (missing) {
      struct fy_node *key = fy_node_create_scalar_copy(L->doc, missing, FY_NT);
      L->origins = sim_xrealloc(L->origins, L->norigins + 1, sizeof *L->origins);
      L->origins[L->norigins++] = (struct set_origin){key, assignment};
      ok = key && fy_node_mapping_append(parent, key, replacement) == 0;
    } else if (pair) {
      ok = fy_node_pair_set_value(pair, replacement) == 0;
    } else if (parent && fy_node_get_type(parent) == FYNT_SEQUENCE) {
      ok = fy_node_sequence_insert_after(parent, node, replacement) == 0 &&
           fy_node_sequence_remove(parent, node) != NULL;
      if (ok)
        fy_node_free(node);
    } else {
      ok = false;
    }
    if (!ok)
      snprintf(L->err, L->errlen, "--set %s: error: cannot apply this override",
               assignment);
  }
  if (!ok)
    L->failed = true;
  free(path);
  return ok;
}

/* ---- entry point ------------------------------------------------------ */

static struct model *load(const char *path, const char *text, size_t len,
                          const char *const *sets, size_t nsets, char *err,
                          size_t errlen);

/* Scenarios are small text files: a larger one is refused before it is
 * read (see docs/reliability.md). */
#define MAX_SCENARIO_BYTES (16u << 20)

struct model *model_scenario_load(const char *path, const char *const *sets,
                                  size_t nsets, char *err, size_t errlen)
{
  err[0] = '\0';
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(err, errlen, "%s: error: cannot read the scenario: %s", path,
             strerror(errno));
    return NULL;
  }
  size_t cap = 4096, len = 0;
  char *text = sim_xmalloc(cap);
  size_t got;
  while ((got = fread(text + len, 1, cap - len, f)) > 0) {
    len += got;
    if (len == cap) {
      if (cap >= MAX_SCENARIO_BYTES) {
        snprintf(err, errlen, "%s: error: the scenario is larger than %u MiB; "
                 "is it really a scenario?", path, MAX_SCENARIO_BYTES >> 20);
        fclose(f);
        free(text);
        return NULL;
      }
      text = sim_xrealloc(text, cap *= 2, 1);
    }
  }
  bool failed = ferror(f);
  fclose(f);
  struct model *m = NULL;
  if (failed)
    snprintf(err, errlen, "%s: error: cannot read the scenario: %s", path,
             strerror(errno));
  else
    m = load(path, text, len, sets, nsets, err, errlen);
  free(text);
  return m;
}

/* Scenario text must be UTF-8 without NUL bytes: anything else (a file in
 * another encoding, a binary file) is refused with its position, before
 * the YAML parser sees it. Returns the offset of the first bad byte, or
 * len. */
static size_t utf8_prefix(const unsigned char *s, size_t len)
{
  size_t i = 0;
  while (i < len) {
    unsigned char c = s[i];
    /* Lengths and the allowed range of the second byte (RFC 3629): no
     * overlong forms, no surrogates, nothing above U+10FFFF. */
    size_t n;
    unsigned char lo = 0x80, hi = 0xbf;
    if (c >= 0x01 && c <= 0x7f)
      n = 1;
    else if (c >= 0xc2 && c <= 0xdf)
      n = 2;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 3;
      lo = c == 0xe0 ? 0xa0 : 0x80;
      hi = c == 0xed ? 0x9f : 0xbf;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 4;
      lo = c == 0xf0 ? 0x90 : 0x80;
      hi = c == 0xf4 ? 0x8f : 0xbf;
    } else
      return i;
    if (i + n > len)
      return i;
    if (n > 1 && (s[i + 1] < lo || s[i + 1] > hi))
      return i;
    for (size_t k = 2; k < n; k++)
      if ((s[i + k] & 0xc0) != 0x80)
        return i;
    i += n;
  }
  return i;
}

struct model *model_scenario_load_text(const char *name, const char *text,
                                       size_t len, const char *const *sets,
                                       size_t nsets, char *err, size_t errlen)
{
  err[0] = '\0';
  return load(name, text, len, sets, nsets, err, errlen);
}

/* Aliases may expand the scenario by at most this many nodes: a small
 * file of nested aliases ("billion laughs") would otherwise expand to
 * billions (docs/scenario.md). */
#define MAX_ALIAS_NODES 100000

struct walk {
  struct loader *L;
  size_t expanded;        /* nodes reached through an alias */
  bool needs_resolve;     /* aliases or merge keys are used */
};

/* Checks every mapping for duplicate keys and counts what aliases expand
 * to, in one pass over the document. `via` is the alias being expanded. */
static bool walk(struct walk *w, struct fy_node *n, struct fy_node *via)
{
  if (!n)
    return true;
  if (fy_node_is_alias(n)) {
    w->needs_resolve = true;
    struct fy_node *target = fy_node_resolve_alias(n);
    return !target || walk(w, target, via ? via : n); /* resolve reports it */
  }
  if (via && ++w->expanded > MAX_ALIAS_NODES) {
    report(w->L, via, "aliases expand the scenario by more than %d values; "
                      "a scenario needs no more (is it a \"billion laughs\" "
                      "file?)", MAX_ALIAS_NODES);
    return false;
  }
  if (fy_node_get_type(n) == FYNT_SEQUENCE) {
    void *iter = NULL;
    struct fy_node *item;
    while ((item = fy_node_sequence_iterate(n, &iter)))
      if (!walk(w, item, via))
        return false;
    return true;
  }
  if (fy_node_get_type(n) != FYNT_MAPPING)
    return true;
  struct name_index keys = {NULL, 0};
  if (!via) /* an anchored mapping is checked where it is written */
    name_index_init(&keys, (size_t)fy_node_mapping_item_count(n));
  void *iter = NULL;
  struct fy_node_pair *pair;
  bool ok = true;
  while (ok && (pair = fy_node_mapping_iterate(n, &iter))) {
    struct fy_node *key = fy_node_pair_key(pair);
    size_t len;
    const char *text = key && fy_node_get_type(key) == FYNT_SCALAR &&
                       !fy_node_is_alias(key) ? fy_node_get_scalar(key, &len)
                                              : NULL;
    if (text && len == 2 && memcmp(text, "<<", 2) == 0)
      w->needs_resolve = true;
    if (text && keys.slots && name_index_add(&keys, text, len, 0) != NAME_NONE) {
      char shown[64];
      excerpt(shown, sizeof shown, text, len);
      report(w->L, key, "duplicate key '%s'", shown);
      ok = false;
    }
    ok = ok && walk(w, fy_node_pair_value(pair), via);
  }
  name_index_fini(&keys);
  return ok;
}

/* Parses the text into L->doc, or reports the parser's first error. */
static bool parse(struct loader *L, const char *text, size_t len,
                  enum fy_parse_cfg_flags flags)
{
  struct fy_parse_cfg pcfg = {.flags = flags, .diag = L->diag};
  L->doc = fy_document_build_from_string(&pcfg, text, len);
  if (L->doc)
    return true;
  struct fy_diag_error *e;
  void *iter = NULL;
  if ((e = fy_diag_errors_iterate(L->diag, &iter)))
    snprintf(L->err, L->errlen, "%s:%d:%d: error: %s", L->path, e->line,
             e->column, e->msg);
  else /* no error: the stream holds no document */
    snprintf(L->err, L->errlen, "%s:1:1: error: the scenario is empty", L->path);
  return false;
}

/* Duplicate keys and aliases are checked by walk(): libfyaml's own checks
 * take time quadratic in the size of a mapping, so the document is parsed
 * without them, and parsed again with its aliases and merge keys resolved
 * only if it has any (such files are small). */
static bool prepare(struct loader *L, const char *text, size_t len)
{
  struct walk w = {.L = L};
  if (!walk(&w, fy_document_root(L->doc), NULL))
    return false;
  if (!w.needs_resolve)
    return true;
  fy_document_destroy(L->doc);
  return parse(L, text, len, FYPCF_QUIET | FYPCF_RESOLVE_DOCUMENT);
}

static struct model *load(const char *path, const char *text, size_t len,
                          const char *const *sets, size_t nsets, char *err,
                          size_t errlen)
{
  struct loader L = {.path = path, .err = err, .errlen = errlen};
  size_t good = utf8_prefix((const unsigned char *)text, len);
  if (good < len) {
    size_t line = 1, column = 1;
    for (size_t i = 0; i < good; i++) {
      if (text[i] == '\n') {
        line++;
        column = 1;
      } else if (((unsigned char)text[i] & 0xc0) != 0x80) {
        column++;
      }
    }
    snprintf(err, errlen, "%s:%zu:%zu: error: the scenario must be UTF-8 text; "
             "byte 0x%02x is not (save the file as UTF-8)", path, line, column,
             (unsigned char)text[good]);
    return NULL;
  }

  struct fy_diag_cfg dcfg;
  fy_diag_cfg_default(&dcfg);
  dcfg.fp = NULL;
  dcfg.colorize = false;
  L.diag = fy_diag_create(&dcfg);
  if (!L.diag)
    sim_out_of_memory(0);
  fy_diag_set_collect_errors(L.diag, true);
  if (!parse(&L, text, len, FYPCF_QUIET | FYPCF_ALLOW_DUPLICATE_KEYS)) {
    fy_diag_destroy(L.diag);
    return NULL;
  }

  struct model *m = NULL;
  struct fy_node *root = fy_document_root(L.doc);
  if (!root || (fy_node_get_type(root) == FYNT_SCALAR &&
                !fy_node_get_scalar_token(root))) { /* "---" and nothing */
    snprintf(err, errlen, "%s:1:1: error: the scenario is empty", path);
  } else {
    bool ok = prepare(&L, text, len);
    if (!L.doc) { /* the second parse failed */
      fy_diag_destroy(L.diag);
      return NULL;
    }
    for (size_t i = 0; i < nsets && ok; i++)
      ok = apply_set(&L, sets[i]);
    if (ok) {
      m = sim_xcalloc(1, sizeof *m);
      L.m = m;
      if (!load_model(&L, fy_document_root(L.doc))) {
        model_free(m);
        m = NULL;
      }
    }
  }
  free(L.origins);
  free(L.department_nodes);
  name_index_fini(&L.department_names);
  name_index_fini(&L.class_names);
  fy_document_destroy(L.doc);
  fy_diag_destroy(L.diag);
  return m;
}

static void free_class_settings(struct model_class_settings *cs)
{
  model_dist_fini(&cs->service);
  model_dist_fini(&cs->patience);
  model_dist_fini(&cs->retrial.after);
  free(cs->routes);
}

void model_free(struct model *m)
{
  if (!m)
    return;
  for (size_t d = 0; d < m->ndepartments; d++) {
    struct model_department *dep = &m->departments[d];
    free(dep->name);
    free(dep->staff_schedule);
    model_dist_fini(&dep->service);
    model_dist_fini(&dep->patience);
    model_dist_fini(&dep->retrial.after);
    model_dist_fini(&dep->handoff.after);
    model_dist_fini(&dep->handoff.delay);
    free(dep->routes);
    for (size_t c = 0; dep->class_settings && c < m->nclasses; c++)
      free_class_settings(&dep->class_settings[c]);
    free(dep->class_settings);
    free(dep->visit);
  }
  for (size_t c = 0; c < m->nclasses; c++) {
    free(m->classes[c].name);
    model_dist_fini(&m->classes[c].patience);
    model_dist_fini(&m->classes[c].retrial.after);
  }
  for (size_t i = 0; i < m->narrivals; i++) {
    free(m->arrivals[i].schedule);
    free(m->arrivals[i].times);
  }
  model_dist_fini(&m->patience);
  model_dist_fini(&m->retrial.after);
  free(m->departments);
  free(m->arrivals);
  free(m->classes);
  for (size_t i = 0; i < m->naxes; i++)
    model_axis_fini(&m->axes[i]);
  free(m->axes);
  free(m->priority_level);
  for (size_t i = 0; i < m->staffing.nshifts; i++)
    free(m->staffing.shifts[i].name);
  free(m->staffing.shifts);
  free(m->staffing.plan);
  free(m->name);
  free(m->time_unit);
  free(m);
}
