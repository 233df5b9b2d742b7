/*
 * cli/options.h — the options of `loket run`, `check` and `sweep`, parsed
 * by cli/commands.c.
 */
#ifndef LOKET_CLI_OPTIONS_H
#define LOKET_CLI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
  size_t shard_index, shard_count;  /* --shard I/N; count 0: not given */
  const char *requirement;  /* staff --requirement FILE.csv */
};

/* The output folder: `out` if given, else out/<name><suffix> with the name
 * made safe ("Gemeente balie" -> out/gemeente-balie). Free it. */
char *cli_output_folder(const char *out, const char *name, const char *suffix);

#endif
