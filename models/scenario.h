/*
 * models/scenario.h — the scenario loader.
 *
 * Reads a YAML scenario (libfyaml), applies `--set PATH=VALUE` overrides,
 * validates every key and builds a struct model (models/model.h). The first
 * problem found is reported in a compiler's style,
 *
 *   scenario.yaml:12:14: error: staff must be a whole number >= 0, got 'three'
 *
 * with the position of the offending key or value; an override that is at
 * fault is named instead of a file position. An unknown key or name is an
 * error that suggests the nearest known one when it is close (an edit
 * distance of at most a third of the longer word, plus one).
 *
 * The full key reference is docs/scenario.md.
 */
#ifndef LOKET_MODELS_SCENARIO_H
#define LOKET_MODELS_SCENARIO_H

#include <stddef.h>

#include "models/model.h"

#define MODEL_ERROR_MAX 1024

/* Loads `path` with the overrides `sets[0..nsets-1]`, each "PATH=VALUE"
 * with a dotted PATH ("departments.reception.staff=4", "arrivals.0.rate=2").
 * Returns the model, or NULL with the message in err. */
struct model *model_scenario_load(const char *path, const char *const *sets,
                                  size_t nsets, char *err, size_t errlen);

/* The values of a sweep axis from "V1,V2,..." or "LO:HI:STEP" (inclusive of
 * HI within rounding): fills axis->values. 0, or -1 with a message. */
int model_axis_values(struct model_axis *axis, const char *spec, char *err,
                      size_t errlen);

/* Splits "V1,V2,..." at the commas that are not inside brackets, braces
 * or a quoted value ("[{at: 0, staff: 2}],[{at: 0, staff: 3}]" is two
 * values). 0, or -1 with a message (an empty value, an unclosed bracket);
 * the values are allocated, also those split before an error. */
int model_split_values(const char *spec, char ***values, size_t *nvalues, char *err,
                       size_t errlen);

/* A variant from "NAME:PATH=VALUE[,PATH=VALUE...]" (the commas split as
 * above). 0, or -1 with a message; fini the variant either way. */
int model_variant_parse(struct model_variant *v, const char *spec, char *err,
                        size_t errlen);
/* Whether a variant name is usable: 1 to 64 bytes, none of them a control
 * character, ',', ':', '=' or '"', not starting or ending in a space. NULL, or
 * what is wrong with it. */
const char *model_variant_name_problem(const char *name);
/* The keys every point of a sweep and every variant of a comparison share,
 * because they are what pairs them (common random numbers): "seed" and
 * "replications". Whether PATH, or the PATH of PATH=VALUE, is one. */
bool model_path_is_shared(const char *path_or_set);

/* The same from YAML text in memory; `name` stands for the file in
 * messages, and files the scenario names are relative to its folder. */
struct model *model_scenario_load_text(const char *name, const char *text,
                                       size_t len, const char *const *sets,
                                       size_t nsets, char *err, size_t errlen);

/* A scenario read and parsed once, for building many models that differ
 * only in their overrides (the points of a sweep) without reading and
 * parsing the file for each. model_scenario_build(s, sets, n) gives what
 * model_scenario_load(path, sets, n) would give for the text read by
 * open: the same model, or the same message. Building copies the parsed
 * document, which costs a fraction of parsing it; a model that fails is
 * loaded again from the text for its message. Not for two threads at
 * once.
 *
 * open: NULL with the message when the file cannot be read (a text that
 * is not a valid scenario opens, and every build reports why). */
struct model_scenario;
struct model_scenario *model_scenario_open(const char *path, char *err, size_t errlen);
struct model *model_scenario_build(struct model_scenario *s, const char *const *sets,
                                   size_t nsets, char *err, size_t errlen);
/* The text open read (its bytes, not NUL-terminated). */
const char *model_scenario_text(const struct model_scenario *s, size_t *len);
void model_scenario_close(struct model_scenario *s);

/* Warnings about a valid model that is probably not what was meant, one
 * line each, "PATH: warning: ...\n", into buf (always NUL-terminated, cut
 * at len). Returns how many there are. For now: a department without a
 * limit on its waiting room whose offered load — its arrival rate from the
 * traffic equations over arrivals, routes and handoffs, averaged over the
 * day, times the mean service — reaches its largest staff: its queue grows
 * without bound unless customers abandon (pools count with their most
 * members at their pace); and the departments a pool serves together,
 * against their own staff and every member of the pools that serve them.
 * Retrials add load that is not counted, so the load is a lower bound. */
size_t model_scenario_warnings(const struct model *m, const char *path,
                               char *buf, size_t len);

/* Edit distance between two strings (for "did you mean" suggestions). */
size_t model_edit_distance(const char *a, const char *b);

#endif
