/*
 * cli/commands.h — the loket command line.
 *
 *   loket run SCENARIO.yaml [--out DIR] [--seed N] [--replications R]
 *             [--jobs N] [--set PATH=VALUE]... [--progress|--quiet]
 *   loket check SCENARIO.yaml [--set PATH=VALUE]...
 *
 * Exit status: 0 success, 1 runtime failure (e.g. cannot write output),
 * 2 bad usage or invalid scenario (nothing is written).
 */
#ifndef LOKET_CLI_COMMANDS_H
#define LOKET_CLI_COMMANDS_H

#include <stdio.h>

#include "cli/options.h"  /* the exit statuses */

int loket_main(int argc, char **argv);

#endif
