/*
 * models/scenario.c — the scenario loader's entry points (models/scenario.h)
 * and the scenario's top level; the sections are read by the load_*.c
 * files (models/load.h).
 */
#include "models/scenario.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/load.h"
#include "sim/check.h"
#include "sim/csv.h"   /* sim_file_read_all */

/* ---- the top level ---------------------------------------------------------- */

/* The top level. Most keys are read by load_model in an order that
 * follows their dependencies (time_unit before times, departments before
 * arrivals); the rows say which keys there are. */
#define MODEL struct model
static const struct field top_rows[] = {
  LATER("loket", "schema version"),
  LATER("name", "shown in summaries; the default output folder"),
  LATER("time_unit", "seconds, minutes or hours"),
  LATER("opens", "clock time of opening"),
  LATER("horizon", "end of the day"),
  LATER("closing", "drain or cut"),
  LATER("warmup", "customers arriving earlier are not counted"),
  WHOLE32("replications", 1, 1000000, MODEL, replications,
          "independent runs of the day"),
  WHOLE64("seed", 0, UINT64_MAX, MODEL, seed, "seed of all random streams"),
  LATER("service_level", "what counts as served in time"),
  LATER("classes", "customer classes"),
  LATER("arrivals", "arrival streams"),
  BEHAVIOUR_ROWS(MODEL),
  LATER("departments", "departments by name"),
  LATER("pools", "staff who serve several departments"),
  LATER("satisfaction", "parameters of the satisfaction score"),
  LATER("output", "time series interval and customer trace"),
  LATER("sweep", "what loket sweep varies"),
  LATER("staffing", "the brief of loket staff"),
  READ("currency", read_currency, MODEL, currency,
       "shown with money on figures, e.g. EUR"),
  READ("labels", read_labels, MODEL, labels,
       "texts shown on figures instead of paths and names"),
};
#undef MODEL

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
  m->replications = 10;
  m->seed = 1;
  m->service_level_target = NAN;
  struct section sec;
  if (!expect_mapping(L, root, "a scenario") ||
      !section_read(L, root, "the scenario", ROWS(top_rows), m, &sec))
    return false;

  struct fy_node *n;
  uint64_t v;
  if ((n = section_given(&sec, "loket")) &&
      !whole(L, n, "loket (the schema version)", 1, 1, &v))
    return false;

  n = section_given(&sec, "name");
  m->name = n ? text_copy(L, n, "name") : default_name(L->path);
  if (!m->name)
    return false;

  m->time_unit = sim_xstrdup("minutes");
  m->units_per_hour = 60;
  if ((n = section_given(&sec, "time_unit"))) {
    static const char *const units[] = {"seconds", "minutes", "hours", NULL};
    static const double per_hour[] = {3600, 60, 1};
    size_t i;
    if (!one_of(L, n, "time_unit", units, &i))
      return false;
    free(m->time_unit);
    m->time_unit = sim_xstrdup(units[i]);
    m->units_per_hour = per_hour[i];
  }

  if ((n = section_given(&sec, "opens"))) {
    const char *s = scalar_text(L, n, "opens");
    double hours;
    if (!s || !parse_clock(s, &hours) || hours >= 24) {
      if (s)
        report(L, n, "opens must be a clock time like \"09:00\", got '%s'", s);
      return false;
    }
    m->opens = hours * m->units_per_hour;
  }

  struct fy_node *horizon = section_require(L, &sec, "horizon", "the scenario");
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
  if ((n = section_given(&sec, "closing"))) {
    /* In the order of enum model_closing. */
    static const char *const closings[] = {"drain", "cut", NULL};
    size_t k;
    if (!one_of(L, n, "closing", closings, &k))
      return false;
    m->closing = (enum model_closing)k;
  }
  if ((n = section_given(&sec, "warmup"))) {
    if (!time_of_day(L, n, "warmup", NONNEG, &m->warmup))
      return false;
    if (m->warmup >= m->horizon) {
      report(L, n, "warmup must be shorter than the horizon (%g), got %g",
             m->horizon, m->warmup);
      return false;
    }
  }
  if ((n = section_given(&sec, "service_level"))) {
    static const struct field service_level_rows[] = {
      REQUIRED("within", F_NUMBER, NONNEG, struct model, service_level_within,
               "a wait of at most this counts as in time"),
      NUMBER("target", PROBABILITY, struct model, service_level_target,
             "the target service level"),
    };
    struct section s2;
    if (!section_read(L, n, "service_level", ROWS(service_level_rows), m, &s2))
      return false;
  }
  if (!load_satisfaction(L, section_given(&sec, "satisfaction")) ||
      !load_output(L, section_given(&sec, "output")) ||
      !load_sweep(L, section_given(&sec, "sweep")) ||
      !load_classes(L, section_given(&sec, "classes")))
    return false;

  struct fy_node *departments = section_require(L, &sec, "departments",
                                                "the scenario");
  if (!departments || !load_departments(L, departments) ||
      !load_pools(L, section_given(&sec, "pools")))
    return false;
  if (!check_exits(L) || !check_staffed(L))
    return false;

  struct fy_node *arrivals = section_require(L, &sec, "arrivals", "the scenario");
  return arrivals && load_arrivals(L, arrivals) && load_staffing(L, root);
}

/* ---- entry points ------------------------------------------------------------ */

static struct model *load(const char *path, const char *text, size_t len,
                          const char *const *sets, size_t nsets, char *err,
                          size_t errlen);

/* Scenarios are small text files: a larger one is refused before it is
 * read (see docs/reliability.md). */
#define MAX_SCENARIO_BYTES (16u << 20)

/* The scenario's text (NUL-terminated, *len bytes), or NULL with err set.
 * Not only regular files: a scenario may come through a pipe,
 * `loket run <(generate)`. */
static char *read_scenario(const char *path, size_t *len, char *err, size_t errlen)
{
  err[0] = '\0';
  int error = 0;
  char *text = sim_file_read_all(path, MAX_SCENARIO_BYTES, false, len, &error);
  if (!text && error == EFBIG)
    snprintf(err, errlen, "%s: error: the scenario is larger than %u MiB; "
             "is it really a scenario?", path, MAX_SCENARIO_BYTES >> 20);
  else if (!text)
    snprintf(err, errlen, "%s: error: cannot read the scenario: %s", path,
             strerror(error));
  return text;
}

struct model *model_scenario_load(const char *path, const char *const *sets,
                                  size_t nsets, char *err, size_t errlen)
{
  size_t len;
  char *text = read_scenario(path, &len, err, errlen);
  if (!text)
    return NULL;
  struct model *m = load(path, text, len, sets, nsets, err, errlen);
  free(text);
  return m;
}

struct model *model_scenario_load_text(const char *name, const char *text,
                                       size_t len, const char *const *sets,
                                       size_t nsets, char *err, size_t errlen)
{
  err[0] = '\0';
  return load(name, text, len, sets, nsets, err, errlen);
}

/* Applies the overrides to L->doc and loads the model from it; frees the
 * loader's state and the document either way. NULL: the message is in
 * L->err. */
static struct model *build(struct loader *L, const char *const *sets, size_t nsets)
{
  struct model *m = NULL;
  bool ok = true;
  for (size_t i = 0; i < nsets && ok; i++)
    ok = apply_set(L, sets[i]);
  if (ok) {
    m = sim_xcalloc(1, sizeof *m);
    L->m = m;
    if (!load_model(L, fy_document_root(L->doc))) {
      model_free(m);
      m = NULL;
    }
  }
  free(L->origins);
  free(L->department_nodes);
  free(L->class_rework);
  name_index_fini(&L->department_names);
  name_index_fini(&L->class_names);
  fy_document_destroy(L->doc);
  L->doc = NULL;
  return m;
}

/* A collector of libfyaml's messages that prints none of them. */
static struct fy_diag *quiet_diag(void)
{
  struct fy_diag_cfg dcfg;
  fy_diag_cfg_default(&dcfg);
  dcfg.fp = NULL;
  dcfg.colorize = false;
  struct fy_diag *diag = fy_diag_create(&dcfg);
  if (!diag)
    sim_out_of_memory(0);
  fy_diag_set_collect_errors(diag, true);
  return diag;
}

/* A scenario is one YAML document: libfyaml builds the first of a stream
 * and would silently leave out the rest ("---" and a second scenario, say,
 * from two files joined). The first document ends where its state's end
 * mark says (after the "---" or "..." that ends it, or at the end of the
 * text); whatever follows is parsed on its own, and a document there with
 * content, or text that does not parse, is refused at that place. */
static bool single_document(struct loader *L, const char *text, size_t len)
{
  const struct fy_mark *end =
      fy_document_state_end_mark(fy_document_get_document_state(L->doc));
  if (!end || end->input_pos >= len)
    return true;
  /* Its own collector: an error there is only a sign that something
   * follows. */
  struct fy_diag *diag = quiet_diag();
  struct fy_parse_cfg cfg = {.flags = FYPCF_QUIET, .diag = diag};
  struct fy_document *rest = fy_document_build_from_string(
      &cfg, text + end->input_pos, len - end->input_pos);
  bool more = !rest || fy_document_root(rest) != NULL;
  if (rest)
    fy_document_destroy(rest);
  fy_diag_destroy(diag);
  if (!more)
    return true;
  /* A text of comments and blank lines alone is no document. */
  bool blank = true;
  for (size_t i = end->input_pos, comment = 0; i < len && blank; i++) {
    if (text[i] == '\n')
      comment = 0;
    else if (text[i] == '#')
      comment = 1;
    else if (!comment && text[i] != ' ' && text[i] != '\t' && text[i] != '\r')
      blank = false;
  }
  if (blank)
    return true;
  snprintf(L->err, L->errlen, "%s:%d:1: error: a scenario is one YAML document, but "
           "another one follows here; put each scenario in a file of its own", L->path, end->line + 1);
  return false;
}

/* Checks the text and parses it into L->doc (a diagnostic collector is
 * made for L->diag): duplicate keys, aliases and the empty scenario
 * included. false with the message in L->err; L->doc may be left set. */
static bool parse_text(struct loader *L, const char *text, size_t len)
{
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
    snprintf(L->err, L->errlen, "%s:%zu:%zu: error: the scenario must be UTF-8 text; "
             "byte 0x%02x is not (save the file as UTF-8)", L->path, line, column,
             (unsigned char)text[good]);
    return false;
  }

  L->diag = quiet_diag();
  if (!parse(L, text, len, FYPCF_QUIET | FYPCF_ALLOW_DUPLICATE_KEYS))
    return false;

  struct fy_node *root = fy_document_root(L->doc);
  if (!root || (fy_node_get_type(root) == FYNT_SCALAR &&
                !fy_node_get_scalar_token(root))) { /* "---" and nothing */
    snprintf(L->err, L->errlen, "%s:1:1: error: the scenario is empty", L->path);
    return false;
  }
  if (!single_document(L, text, len))
    return false;
  /* The second parse, if there is one, may fail and leave no document. */
  return prepare(L, text, len) && L->doc;
}

static struct model *load(const char *path, const char *text, size_t len,
                          const char *const *sets, size_t nsets, char *err,
                          size_t errlen)
{
  struct loader L = {.path = path, .err = err, .errlen = errlen};
  struct model *m = NULL;
  if (parse_text(&L, text, len))
    m = build(&L, sets, nsets);
  else
    free(L.origins);
  fy_document_destroy(L.doc);
  if (L.diag)
    fy_diag_destroy(L.diag);
  return m;
}

/* ---- a scenario parsed once --------------------------------------------- */

struct model_scenario {
  char *path;
  char *text;
  size_t len;
  struct fy_diag *diag;
  /* The parsed and checked document, never changed: every model is built
   * from a copy of it. NULL when the text does not parse or check; every
   * build then loads the text in full, which reports why. It must stay
   * unchanged for a second reason: libfyaml 0.7.12's copy points the
   * original's pairs at the copy's mappings (fy_node_copy_internal sets
   * the source pair's parent), so a pair of the original must never be
   * given a new key or value once a copy has been freed. */
  struct fy_document *doc;
};

struct model_scenario *model_scenario_open(const char *path, char *err, size_t errlen)
{
  size_t len;
  char *text = read_scenario(path, &len, err, errlen);
  if (!text)
    return NULL;
  struct model_scenario *s = sim_xcalloc(1, sizeof *s);
  s->path = sim_xstrdup(path);
  s->text = text;
  s->len = len;
  char quiet[MODEL_ERROR_MAX];
  struct loader L = {.path = s->path, .err = quiet, .errlen = sizeof quiet};
  if (parse_text(&L, text, len)) {
    s->doc = L.doc;
    L.doc = NULL;
  }
  free(L.origins);
  fy_document_destroy(L.doc);
  s->diag = L.diag;
  return s;
}

struct model *model_scenario_build(struct model_scenario *s, const char *const *sets,
                                   size_t nsets, char *err, size_t errlen)
{
  err[0] = '\0';
  struct fy_document *copy = s->doc ? fy_document_clone(s->doc) : NULL;
  if (copy) {
    /* The copy shares the original's tokens, so its scalars keep their
     * text and positions; its mappings and lists do not keep theirs
     * (libfyaml 0.7.12 copies no start and end tokens), and a message
     * about one would point elsewhere. So a model that fails is loaded
     * again from the text, which gives the message a single load gives. */
    struct loader L = {.path = s->path, .err = err, .errlen = errlen,
                       .diag = s->diag, .doc = copy};
    struct model *m = build(&L, sets, nsets);
    if (m)
      return m;
    err[0] = '\0';
  }
  return load(s->path, s->text, s->len, sets, nsets, err, errlen);
}

const char *model_scenario_text(const struct model_scenario *s, size_t *len)
{
  *len = s->len;
  return s->text;
}

void model_scenario_close(struct model_scenario *s)
{
  if (!s)
    return;
  fy_document_destroy(s->doc);
  if (s->diag)
    fy_diag_destroy(s->diag);
  free(s->text);
  free(s->path);
  free(s);
}

static void free_class_settings(struct model_class_settings *cs)
{
  model_dist_fini(&cs->service);
  model_dist_fini(&cs->patience);
  model_dist_fini(&cs->retrial.after);
  model_dist_fini(&cs->rework.after);
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
    model_dist_fini(&dep->handoff.coordination);
    model_dist_fini(&dep->wrap_up);
    free(dep->routes);
    for (size_t c = 0; dep->class_settings && c < m->nclasses; c++)
      free_class_settings(&dep->class_settings[c]);
    free(dep->class_settings);
    free(dep->visit);
    model_dist_fini(&dep->rework.after);
    free(dep->rework_rule);
    free(dep->pool_links);
  }
  for (size_t i = 0; i < m->npools; i++) {
    free(m->pools[i].name);
    free(m->pools[i].staff_schedule);
    free(m->pools[i].serves);
  }
  free(m->pools);
  for (size_t c = 0; c < m->nclasses; c++) {
    free(m->classes[c].name);
    model_dist_fini(&m->classes[c].patience);
    model_dist_fini(&m->classes[c].retrial.after);
    model_dist_fini(&m->classes[c].rework.after);
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
  for (size_t i = 0; i < m->nvariants; i++)
    model_variant_fini(&m->variants[i]);
  free(m->variants);
  free(m->currency);
  for (size_t i = 0; i < m->nlabels; i++) {
    free(m->labels[i].key);
    free(m->labels[i].text);
  }
  free(m->labels);
  free(m->priority_level);
  staffing_fini(&m->staffing);
  free(m->name);
  free(m->time_unit);
  free(m);
}
