/*
 * cli/staff_yaml.c — staffed.yaml: the scenario with the plan's staff
 * schedules, emitted with libfyaml.
 */
#include "cli/staff.h"
#include "cli/staff_planner.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_cdf.h>
#include <libfyaml.h>

#include "cli/commands.h"
#include "cli/report.h"
#include "models/erlang.h"
#include "models/metrics.h"
#include "models/office.h"
#include "models/roster.h"
#include "models/scenario.h"
#include "sim/check.h"
#include "sim/csv.h"
#include "sim/csvread.h"
#include "sim/progress.h"
#include "sim/runner.h"
#include "sim/stats.h"

/* ---- staffed.yaml --------------------------------------------------------- */

/* "09:30" when t (since opening) is a whole minute of the clock, else the
 * number of time units. */
static void time_text(char *buf, size_t len, const struct model *m, double t)
{
  double minutes = (m->opens + t) * 60.0 / m->units_per_hour;
  double whole = round(minutes);
  if (fabs(minutes - whole) < 1e-9 && whole < 24 * 60)
    snprintf(buf, len, "\"%02ld:%02ld\"", (long)whole / 60, (long)whole % 60);
  else
    snprintf(buf, len, "%.17g", t);
}

static char *read_text(const char *path, size_t *len, char *err, size_t errlen)
{
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
    return NULL;
  }
  size_t cap = 4096, n = 0, got;
  char *text = sim_xmalloc(cap + 1);
  while ((got = fread(text + n, 1, cap - n, f)) > 0)
    if ((n += got) == cap)
      text = sim_xrealloc(text, (cap *= 2) + 1, 1);
  fclose(f);
  text[n] = '\0';
  *len = n;
  return text;
}

/* Sets map[key] to the YAML text `yaml`, which libfyaml reads in place: it
 * must outlive the document. */
static bool set_value(struct fy_document *doc, struct fy_node *map, const char *key,
                      const char *yaml)
{
  struct fy_node *value = fy_node_build_from_string(doc, yaml, FY_NT);
  if (!value)
    return false;
  struct fy_node_pair *pair = fy_node_mapping_lookup_pair_by_string(map, key, FY_NT);
  if (pair)
    return fy_node_pair_set_value(pair, value) == 0;
  struct fy_node *name = fy_node_create_scalar_copy(doc, key, FY_NT);
  return name && fy_node_mapping_append(map, name, value) == 0;
}

char *staff_yaml(const char *path, const struct model *m,
                 const struct staff_plan *p, uint32_t replications,
                 const char *const *sets, size_t nsets, char ***added_out,
                 size_t *nadded_out, char *err, size_t errlen)
{
  *added_out = NULL;
  *nadded_out = 0;
  size_t len;
  char *text = read_text(path, &len, err, errlen);
  if (!text)
    return NULL;
  /* Comments are not kept: libfyaml's support for them is experimental. */
  struct fy_parse_cfg cfg = {.flags = FYPCF_QUIET};
  struct fy_document *doc = fy_document_build_from_string(&cfg, text, len);
  /* Aliases and merge keys become copies: a department written as *dep
   * (or with <<: *dep) gets its own staff, and the one with the anchor
   * keeps its own. */
  if (doc && fy_document_resolve(doc) != 0) {
    fy_document_destroy(doc);
    doc = NULL;
  }
  struct fy_node *root = doc ? fy_document_root(doc) : NULL;
  struct fy_node *depts = root ? fy_node_mapping_lookup_by_string(root, "departments",
                                                                  FY_NT) : NULL;
  bool ok = depts != NULL && fy_node_is_mapping(depts);
  char **texts = sim_xcalloc(p->ndepartments, sizeof *texts);
  /* A department the text does not hold (added by a --set) cannot take
   * its staff there: the staff becomes one more override, after the
   * others, in flow style. */
  char **added = sim_xcalloc(p->ndepartments, sizeof *added);
  size_t nadded = 0;
  char reps[32];
  for (size_t d = 0; ok && d < p->ndepartments; d++) {
    const struct staff_department *sd = &p->departments[d];
    const char *name = m->departments[sd->index].name;
    struct fy_node *dep = fy_node_mapping_lookup_by_string(depts, name, FY_NT);
    size_t cap = 64 + 48 * (size_t)p->nintervals, n = 0;
    char *steps = texts[d] = sim_xmalloc(cap);
    steps[0] = '\0';
    if (!dep)
      n += (size_t)snprintf(steps, cap, "[");
    for (uint32_t k = 0; k < p->nintervals; k++) {
      const struct staff_interval *in = &sd->intervals[k];
      if (k > 0 && in->required == sd->intervals[k - 1].required)
        continue;
      char at[64];
      time_text(at, sizeof at, m, in->t_start);
      if (dep)
        n += (size_t)snprintf(steps + n, cap - n, "- {at: %s, staff: %u}\n", at,
                              in->required);
      else
        n += (size_t)snprintf(steps + n, cap - n, "%s{at: %s, staff: %u}",
                              n > 1 ? ", " : "", at, in->required);
    }
    if (!dep) {
      snprintf(steps + n, cap - n, "]");
      size_t need = strlen(name) + strlen(steps) + 32;
      added[nadded] = sim_xmalloc(need);
      snprintf(added[nadded++], need, "departments.%s.staff=%s", name, steps);
      continue;
    }
    ok = fy_node_is_mapping(dep) && set_value(doc, dep, "staff", steps);
  }
  if (ok && replications > 0) {
    snprintf(reps, sizeof reps, "%u", replications);
    ok = set_value(doc, root, "replications", reps);
  }
  char *body = ok ? fy_emit_document_to_string(doc, FYECF_MODE_BLOCK) : NULL;
  if (doc)
    fy_document_destroy(doc);
  for (size_t d = 0; d < p->ndepartments; d++)
    free(texts[d]);
  free(texts);
  free(text);
  if (!body) {
    snprintf(err, errlen, "cannot rewrite the staff of '%s'", path);
    for (size_t i = 0; i < nadded; i++)
      free(added[i]);
    free(added);
    return NULL;
  }
  static const char head[] =
      "# The staff schedules below were found by `loket staff` (staffing.csv\n"
      "# has the plan per interval); the rest is the scenario as it was,\n"
      "# written out again without its comments.\n";
  /* The overrides are not in the text: say so, each on a comment line of
   * its own (control characters shown as spaces, so none ends the
   * comment), then the planned staff of departments the text lacks. */
  size_t extra = 0;
  for (size_t i = 0; i < nsets; i++)
    extra += strlen(sets[i]) + 16;
  for (size_t i = 0; i < nadded; i++)
    extra += strlen(added[i]) + 16;
  static const char with_sets[] =
      "# It was planned with these overrides, which are not written into it;\n"
      "# give them to `loket run` again";
  static const char then_added[] =
      ", followed by the planned staff of the\n"
      "# departments they add, which the text does not hold:\n";
  static const char only_added[] =
      "# Give `loket run` the planned staff of these departments, which the\n"
      "# text does not hold:\n";
  char *out = sim_xmalloc(sizeof head + sizeof with_sets + sizeof then_added +
                          sizeof only_added + extra + strlen(body));
  strcpy(out, head);
  if (nsets > 0)
    strcat(strcat(out, with_sets), nadded > 0 ? then_added : ":\n");
  else if (nadded > 0)
    strcat(out, only_added);
  size_t n = strlen(out);
  for (size_t i = 0; i < nsets + nadded; i++) {
    n += (size_t)sprintf(out + n, "#   --set ");
    for (const char *c = i < nsets ? sets[i] : added[i - nsets]; *c; c++)
      out[n++] = (unsigned char)*c < 0x20 || *c == 0x7f ? ' ' : *c;
    out[n++] = '\n';
  }
  strcpy(out + n, body);
  free(body);
  *added_out = added;
  *nadded_out = nadded;
  return out;
}
