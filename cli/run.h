/*
 * cli/run.h — `loket run`: simulate a scenario and write its run folder.
 */
#ifndef LOKET_CLI_RUN_H
#define LOKET_CLI_RUN_H

#include "cli/options.h"

struct model;

/* Loads o->scenario with o->sets applied; NULL after printing the error
 * (file:line:col: error: ...) on stderr. Free it with model_free. */
struct model *cli_load(const struct options *o);

/* `loket run` with parsed options: simulates o->scenario and writes its run
 * folder (also used by `loket compare` for each variant). The exit status. */
int cli_run(const struct options *o);

#endif
