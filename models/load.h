/*
 * models/load.h — the scenario loader's inside, shared by its files
 * (not a public header: models/scenario.h is).
 *
 * The loader walks the YAML tree once, section by section. Each section is
 * a table of rows (struct field: key, type, bounds, where the value goes,
 * one line of documentation) read by section_read(), which also derives
 * the "unknown key, did you mean" check from the rows; what a row cannot
 * say (a list of routes, a staff schedule) is a row of type F_READ with a
 * function. Only the first error is reported: later ones are often
 * consequences of the first.
 *
 *   load_diag.c      messages with positions, suggestions, excerpts, UTF-8
 *   load_node.c      YAML nodes, numbers, clock times, the walk
 *   load_section.c   sections read by their rows
 *   load_dist.c      distributions and the data files they read
 *   load_org.c       classes, departments, behaviours, routes, handoffs
 *   load_pools.c     staff pools that serve several departments
 *   load_output.c    output, satisfaction and the texts of figures
 *   load_arrivals.c  arrival streams
 *   load_overrides.c --set overrides and sweep axes
 *   load_check.c     whole-model checks and warnings
 *   load_staffing.c  the staffing block
 *   scenario.c       the entry points and the top level
 */
#ifndef LOKET_MODELS_LOAD_H
#define LOKET_MODELS_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libfyaml.h>

#include "models/model.h"
#include "sim/csvread.h"

/* ---- names to indices (load_diag.c) ------------------------------------
 * A hash table, so that resolving n names costs O(n), not O(n^2):
 * scenarios may have tens of thousands of departments. The table refers
 * to the names, it does not copy them. */
struct name_slot {
  const char *name;   /* NULL: empty */
  size_t len;
  uint32_t value;
};

struct name_index {
  struct name_slot *slots;
  size_t mask;
};

#define NAME_NONE UINT32_MAX

void name_index_init(struct name_index *ix, size_t count);
void name_index_fini(struct name_index *ix);
/* Adds a name; returns NAME_NONE, or the value of the same name added
 * before (which is kept). At most `count` names (from init) are added. */
uint32_t name_index_add(struct name_index *ix, const char *name, size_t len,
                        uint32_t value);
uint32_t name_index_find(const struct name_index *ix, const char *name);

/* ---- the loader's state ------------------------------------------------ */

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
  struct fy_node **class_rework;  /* each class's rework, read once the
                                     departments it names are known */
};

/* ---- messages (load_diag.c) -------------------------------------------- */

#if defined(__GNUC__)
#define LOAD_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define LOAD_PRINTF(a, b)
#endif

/* Reports the first error, at the position of `at` (or the override that
 * made it); later calls are ignored. */
void report(struct loader *L, struct fy_node *at, const char *fmt, ...)
  LOAD_PRINTF(3, 4);
/* "; did you mean 'x'?" for the nearest of `known` (NULL-terminated), or
 * "" when none is close (an edit distance above about a third of the
 * word); the result lives in `buf`. */
const char *suggestion(char *buf, size_t len, const char *word,
                       const char *const *known);
/* A short printable excerpt of text from a file, for a message. */
void excerpt(char *out, size_t outlen, const char *s, size_t n);
/* The offset of the first byte of s that is not UTF-8 (or NUL), or len. */
size_t utf8_prefix(const unsigned char *s, size_t len);
struct fy_diag_error *last_error(struct loader *L);

/* ---- nodes and values (load_node.c) ------------------------------------ */

enum bound { ANY, NONNEG, POSITIVE, PROBABILITY };

bool expect_mapping(struct loader *L, struct fy_node *n, const char *what);
bool expect_sequence(struct loader *L, struct fy_node *n, const char *what);
const char *scalar_text(struct loader *L, struct fy_node *n, const char *what);
struct fy_node *lookup(struct fy_node *map, const char *key);
bool parse_number(const char *s, double *out);
bool parse_clock(const char *s, double *hours);
bool number(struct loader *L, struct fy_node *n, const char *what,
            enum bound bound, double *out);
bool whole(struct loader *L, struct fy_node *n, const char *what, uint64_t min,
           uint64_t max, uint64_t *out);
bool boolean(struct loader *L, struct fy_node *n, const char *what, bool *out);
/* One of the NULL-terminated `words`: *out is its index. Otherwise the
 * error "WHAT must be a, b or c, got 'x'". */
bool one_of(struct loader *L, struct fy_node *n, const char *what,
            const char *const *words, size_t *out);
char *text_copy(struct loader *L, struct fy_node *n, const char *what);
/* A point in time: time units since opening, or a clock time. */
bool time_of_day(struct loader *L, struct fy_node *n, const char *what,
                 enum bound bound, double *out);
/* A duration: time units, or hours and minutes "H:MM". */
bool duration(struct loader *L, struct fy_node *n, const char *what,
              enum bound bound, double *out);
/* A schedule [{at: TIME, KEY: VALUE}, ...] in increasing time order; the
 * values are multiplied by `scale`. With a `volume_key`, a step may give
 * VOLUME_KEY: N instead of KEY: the step's value is then N divided by the
 * length of its interval (to the next step's `at`, the last step's to the
 * horizon): a volume per interval becomes a rate per time unit. */
bool schedule(struct loader *L, struct fy_node *list, const char *what,
              const char *key, const char *volume_key, bool whole_values,
              double scale, struct model_step **steps, size_t *nsteps);
/* A file named in the scenario, relative to the scenario's folder. */
char *relative_path(struct loader *L, const char *name);

/* Duplicate keys, the alias budget and (if aliases are used) a second
 * parse with them resolved; see load_node.c. */
bool parse(struct loader *L, const char *text, size_t len,
           enum fy_parse_cfg_flags flags);
bool prepare(struct loader *L, const char *text, size_t len);

/* ---- sections ----------------------------------------------------------- */

enum field_type {
  F_NUMBER,     /* double, within `bound` */
  F_WHOLE32,    /* uint32_t, min..max */
  F_WHOLE64,    /* uint64_t, min..max */
  F_TIME,       /* double: a point in time (time_of_day) */
  F_DURATION,   /* double: a duration (number or "H:MM") */
  F_BOOL,       /* bool: true or false */
  F_TEXT,       /* char *: a copy, not empty */
  F_DIST,       /* struct model_dist, read by `read` (dist_field) */
  F_READ,       /* read by `read` */
};

struct field;
typedef bool read_fn(struct loader *L, struct fy_node *n, const struct field *f,
                     void *base);

struct field {
  const char *key;
  enum field_type type;
  enum bound bound;       /* F_NUMBER, F_TIME, F_DURATION */
  uint64_t min, max;      /* F_WHOLE32, F_WHOLE64 */
  size_t offset;          /* of the value in the section's struct */
  size_t has;             /* of a bool set when the key is given, or NO_FLAG */
  bool required;
  read_fn *read;          /* F_READ, F_DIST */
  const char *doc;        /* one line: what the key means */
};

#define NO_FLAG SIZE_MAX
#define MAX_FIELDS 32

/* The reader of F_DIST rows (load_dist.c). */
read_fn dist_field;

/* Row builders: T is the section's struct, F the member. */
#define ROW(key, type, bound, min, max, T, F, has, req, read, doc) \
  {key, type, bound, min, max, offsetof(T, F), has, req, read, doc}
#define NUMBER(key, bound, T, F, doc) \
  ROW(key, F_NUMBER, bound, 0, 0, T, F, NO_FLAG, false, NULL, doc)
#define WHOLE32(key, min, max, T, F, doc) \
  ROW(key, F_WHOLE32, ANY, min, max, T, F, NO_FLAG, false, NULL, doc)
#define WHOLE64(key, min, max, T, F, doc) \
  ROW(key, F_WHOLE64, ANY, min, max, T, F, NO_FLAG, false, NULL, doc)
#define DIST(key, T, F, has, doc) \
  ROW(key, F_DIST, ANY, 0, 0, T, F, offsetof(T, has), false, dist_field, doc)
#define REQUIRED_DIST(key, T, F, doc) \
  ROW(key, F_DIST, ANY, 0, 0, T, F, NO_FLAG, true, dist_field, doc)
#define READ(key, read, T, F, doc) \
  ROW(key, F_READ, ANY, 0, 0, T, F, NO_FLAG, false, read, doc)
#define READ_FLAG(key, read, T, F, has, doc) \
  ROW(key, F_READ, ANY, 0, 0, T, F, offsetof(T, has), false, read, doc)
/* A key read by the section's own code after section_read. */
#define LATER(key, doc) {key, F_READ, ANY, 0, 0, 0, NO_FLAG, false, NULL, doc}
#define REQUIRED_LATER(key, doc) \
  {key, F_READ, ANY, 0, 0, 0, NO_FLAG, true, NULL, doc}
#define REQUIRED(key, type, bound, T, F, doc) \
  ROW(key, type, bound, 0, 0, T, F, NO_FLAG, true, NULL, doc)

/* What section_read found: the value given for each row, or NULL. */
struct section {
  struct fy_node *map;
  const struct field *fields;
  size_t nfields;
  struct fy_node *given[MAX_FIELDS];
};

/* Reads a mapping by its rows: every key must be a row's (else "unknown
 * key"), required rows must be given, and rows are read in their order
 * into base (F_READ rows without a function are left to the caller). */
bool section_read(struct loader *L, struct fy_node *map, const char *where,
                  const struct field *fields, size_t nfields, void *base,
                  struct section *s);
/* The node given for `key` (a row of the section), or NULL. */
struct fy_node *section_given(const struct section *s, const char *key);
/* "WHERE needs 'KEY'" at the mapping. */
struct fy_node *section_require(struct loader *L, const struct section *s,
                                const char *key, const char *where);

#define ROWS(table) (table), (sizeof(table) / sizeof((table)[0]))

/* ---- the parts of a scenario ------------------------------------------- */

/* load_dist.c */
bool distribution(struct loader *L, struct fy_node *n, const char *what,
                  struct model_dist *out);
bool read_column(struct loader *L, struct fy_node *at, const char *name,
                 bool times, double **values, size_t *n);
/* A CSV file named in the scenario, read by column name (sim/csvread.h)
 * after the checks every data file gets (a regular file, at most 64 MiB);
 * a byte order mark is skipped, and a header split by ';' refused. The
 * reader's messages are "FILE:LINE: ...": report them at `at`. */
struct data_table {
  struct sim_csv_reader r;
  char *text, *path;
  bool open;
};
bool data_table_open(struct loader *L, struct fy_node *at, const char *name,
                     struct data_table *t);
void data_table_close(struct data_table *t);

/* load_org.c */
read_fn read_balking, read_retrial;
/* The rows of patience, balking and retrial, for the four levels that may
 * give them (the top, a class, a department, a class at a department):
 * their structs name the fields alike. */
#define BEHAVIOUR_ROWS(T)                                                     \
  DIST("patience", T, patience, has_patience,                                 \
       "how long a customer waits before abandoning"),                        \
  READ_FLAG("balking", read_balking, T, balking, has_balking,                 \
            "turning away at a long queue"),                                  \
  READ_FLAG("retrial", read_retrial, T, retrial, has_retrial,                 \
            "coming back later after being lost")
bool load_classes(struct loader *L, struct fy_node *n);
bool load_departments(struct loader *L, struct fy_node *departments);
/* A staff number or schedule (departments' and pools' `staff`). */
bool staff_value(struct loader *L, struct fy_node *n, uint32_t *staff,
                 struct model_step **steps, size_t *nsteps);
int department_index(struct loader *L, struct fy_node *n, const char *what);
int class_index(struct loader *L, struct fy_node *n, const char *what);
void resolve_visits(struct model *m);

/* load_output.c */
bool load_output(struct loader *L, struct fy_node *n);
bool load_satisfaction(struct loader *L, struct fy_node *n);
read_fn read_currency, read_labels;

/* load_pools.c */
bool load_pools(struct loader *L, struct fy_node *pools);

/* load_arrivals.c */
bool load_arrivals(struct loader *L, struct fy_node *list);

/* load_overrides.c */
bool apply_set(struct loader *L, const char *assignment);
bool load_sweep(struct loader *L, struct fy_node *n);

/* load_check.c */
bool check_exits(struct loader *L);
bool check_staffed(struct loader *L);

/* load_staffing.c */
bool load_staffing(struct loader *L, struct fy_node *root);
void staffing_fini(struct model_staffing *st);

#endif
