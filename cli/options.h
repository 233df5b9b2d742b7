/*
 * cli/options.h — the options of `loket run`, `check` and `sweep`, parsed
 * by cli/commands.c.
 */
#ifndef LOKET_CLI_OPTIONS_H
#define LOKET_CLI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Exit status: 0 success, 1 runtime failure, 2 bad usage or input. */
enum { LOKET_EXIT_OK = 0, LOKET_EXIT_FAILURE = 1, LOKET_EXIT_USAGE = 2 };

enum command { COMMAND_NONE, COMMAND_RUN, COMMAND_CHECK, COMMAND_SWEEP, COMMAND_STAFF };

struct options {
  const char *scenario;
  const char *out;
  const char **sets;
  size_t nsets;
  bool have_seed, have_replications;
  uint64_t seed;
  uint32_t replications;
  unsigned jobs;
  int progress;     /* -1 auto, 0 off, 1 on */
  bool quiet;
  bool trace;       /* --trace: customers.csv */
  const char **varies;  /* --vary PATH=VALUES */
  size_t nvaries;
  const char **variants;  /* sweep --variant NAME:PATH=VALUE,... */
  size_t nvariants;
  size_t shard_index, shard_count;  /* --shard I/N; count 0: not given */
  const char *requirement;  /* staff --requirement FILE.csv */
};

/* Threads to use when --jobs is not given: the processors this process may
 * run on (its CPU affinity mask, which Slurm and taskset narrow), at least 1. */
unsigned cli_default_jobs(void);

/* Creates the output folder (and its parents) and checks that it can be
 * written, before anything is simulated. *created (if not NULL): the
 * folder did not exist before. 0, or -1 with a message. */
int cli_prepare_output_folder(const char *dir, bool *created, char *err, size_t errlen);
/* After a run that wrote nothing: removes the output folder if this run
 * created it and it is still empty (nothing else is touched). */
void cli_output_folder_unused(const char *dir, bool created);

/* The output folder: `out` if given, else out/<name><suffix> with the name
 * made safe ("Gemeente balie" -> out/gemeente-balie). Free it. */
char *cli_output_folder(const char *out, const char *name, const char *suffix);

#endif
