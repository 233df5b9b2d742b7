/*
 * cli/compare_parts.h — the pieces of `loket compare` (cli/compare.c): the
 * run folders read back and checked (cli/compare_folder.c), and compare.csv
 * and the terminal table made from them (cli/compare_table.c).
 */
#ifndef LOKET_CLI_COMPARE_PARTS_H
#define LOKET_CLI_COMPARE_PARTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* One measured quantity of a run: its value in each replication (NaN where
 * undefined or absent). */
struct series {
  char *scope, *metric;
  double *values;
};

/* A run folder read back. */
struct folder {
  char *name;         /* the variant's name */
  char *dir;
  char *seed, *replications, *horizon, *interval, *departments; /* about.csv */
  char *version;      /* output_version, NULL when absent */
  char *within;       /* service_level_within, NULL when absent */
  size_t n;           /* replications */
  char **dept_names;
  char **dept_suffix;  /* ":NAME" for the interval metrics */
  size_t ndepts;
  struct series *series;
  size_t nseries, cap;
  size_t hint;        /* where the last lookup found its series */
  size_t pools_from;  /* the pools' series are the last, from here */
};

void compare_folder_fini(struct folder *f);

/* DIR/NAME. Free it. */
char *compare_path_in(const char *dir, const char *name);

/* Reads f->dir (about.csv, summary.csv, departments.csv, timeseries.csv and,
 * when journeys, journeys.csv, when pools, pools.csv) into f, whose name and
 * dir are set. 0, or -1 with a message. */
int compare_read_folder(struct folder *f, bool journeys, bool pools, char *err,
                        size_t errlen);

/* The pools are compared only when every folder has the same pools serving
 * the same departments: else their series are left out of every folder,
 * and the answer is false. */
bool compare_shared_pools(struct folder *f, size_t nf);

/* 0 when b can be compared with a replication by replication, else -1 with
 * a message. */
int compare_comparable(const struct folder *a, const struct folder *b, char *err,
                       size_t errlen);

/* compare.csv and variants.csv in dir (ran_here: the variants were run into
 * dir by this command). 0, or -1 with a message. */
int compare_write(const char *dir, const struct folder *f, size_t nf,
                  bool ran_here, char *err, size_t errlen);

/* The terminal table of the key metrics. */
void compare_print_table(FILE *out, const struct folder *f, size_t nf);

#endif
