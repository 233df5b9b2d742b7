/*
 * cli/plot_parts.h — what the figures of a run (cli/plot.c) and of a sweep
 * (cli/plot_sweep.c) share: about.csv, and figure names that never
 * collide.
 */
#ifndef LOKET_CLI_PLOT_PARTS_H
#define LOKET_CLI_PLOT_PARTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* about.csv: what was run. */
struct plot_about {
  char *name, *unit;
  double horizon, within, target;  /* target NaN: none */
  uint64_t replications;
};

/* Reads and checks DIR/about.csv. 0, or -1 with a message naming the file
 * and line. */
int plot_about_read(const char *dir, struct plot_about *a, char *err, size_t errlen);
void plot_about_fini(struct plot_about *a);

/* The file names given out so far: "front desk" and "front-desk" both
 * make day-front-desk, so the second becomes day-front-desk-2. */
struct plot_names {
  char **names;
  size_t n;
};

/* A figure name from a prefix and a user's name: letters, digits, '-',
 * '_' kept (others become '-'), at most 80 of them, made unique among the
 * names given out. Owned by `names`. */
const char *plot_names_make(struct plot_names *names, const char *prefix,
                            const char *user);
void plot_names_fini(struct plot_names *names);

/* The figures of a sweep folder (see cli/plot.h) into outdir. */
int plot_sweep(const char *dir, const char *outdir, const char *fmt,
               const char *scripts, const char *gnuplot, char *err, size_t errlen,
               int *figures);

/* The journeys figure of a run (see cli/plot.h) into outdir, when at
 * least two groups by handoffs have customers; *figures counts it. */
int plot_journeys(const char *dir, const char *outdir, const char *fmt,
                  const char *scripts, const char *gnuplot, char *err, size_t errlen,
                  int *figures);

/* The figures of a compare folder (a folder with compare.csv and
 * variants.csv, see cli/compare.h) into outdir. */
int plot_compare(const char *dir, const char *outdir, const char *fmt,
                 const char *scripts, const char *gnuplot, char *err, size_t errlen,
                 int *figures);

#endif
