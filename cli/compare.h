/*
 * cli/compare.h — `loket compare`: paired differences between runs.
 *
 *   loket compare DIR_A DIR_B [DIR_C ...] [--out DIR]
 *   loket compare SCENARIO.yaml --variant NAME:PATH=VALUE[,PATH=VALUE...]...
 *                 [--out DIR] [--jobs N] [--replications R] [--set PATH=VALUE]...
 *
 * The first form compares finished run folders; the second runs each
 * variant of one scenario (with the scenario's seed, so every variant sees
 * the same customers: common random numbers) into DIR/NAME/ as a normal
 * run folder, and then compares those. Folders are compared only when they
 * have the same departments, horizon and interval, the same seed and the
 * same number of replications: a difference taken replication by
 * replication is then the change and not noise.
 *
 * DIR (default out/compare-<first variant>) receives compare.csv (one row
 * per scope, metric and variant: the mean, the mean paired difference to
 * the first variant, its 95 % half-width and the half-width an unpaired
 * comparison would have given) and variants.csv (the name and folder of
 * each variant, for `loket plot`). A table of the key metrics goes to
 * stdout. docs/outputs.md describes the files.
 */
#ifndef LOKET_CLI_COMPARE_H
#define LOKET_CLI_COMPARE_H

/* argv[0] is "compare". Returns the exit status (cli/options.h). */
int cli_compare(int argc, char **argv);

#endif
