#include "cli/commands.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/compare.h"
#include "cli/options.h"
#include "cli/plot.h"
#include "cli/sweep.h"
#include "cli/run.h"
#include "cli/staff.h"
#include "models/scenario.h"
#include "sim/check.h"
#include "sim/rng.h"

#define LOKET_VERSION "0.1.0"

static const char usage_text[] =
  "usage: loket run SCENARIO.yaml [options]   simulate, write CSVs, print a summary\n"
  "       loket check SCENARIO.yaml [--set PATH=VALUE]...   validate only\n"
  "       loket sweep SCENARIO.yaml --vary PATH=V1,V2,...|PATH=LO:HI:STEP...\n"
  "                 [--variant NAME:PATH=VALUE[,PATH=VALUE...]]...\n"
  "                 [--out DIR] [--jobs N] [--shard I/N] [--replications R]\n"
  "                 (a value with commas, a [list] or {mapping}, is one value)\n"
  "       loket staff SCENARIO.yaml [--out DIR] [--jobs N] [--replications R]\n"
  "                 [--requirement FILE.csv] [--set PATH=VALUE]...\n"
  "                 the staff each interval needs, and the cheapest roster\n"
  "       loket compare DIR_A DIR_B [DIR_C ...] [--out DIR]\n"
  "       loket compare SCENARIO.yaml --variant NAME:PATH=VALUE[,PATH=VALUE...]...\n"
  "                 [--out DIR] [--jobs N] [--replications R] [--set PATH=VALUE]...\n"
  "                 paired differences between runs with the same seed\n"
  "       loket merge DIR     join the shards of a sweep into DIR/sweep.csv\n"
  "       loket plot DIR [--format png|svg|pdf] [--x METRIC --y METRIC]\n"
  "                 figures from a run's CSVs (--x, --y: a sweep's trade-off)\n"
  "\n"
  "options for run:\n"
  "  --out DIR            output folder (default: out/<scenario name>)\n"
  "  --seed N             random seed (overrides the scenario's seed)\n"
  "  --replications R     number of replications (overrides the scenario)\n"
  "  --jobs N             replications run in parallel (default: the cores this\n"
  "                       process may run on, e.g. its Slurm allocation);\n"
  "                       results are identical whatever N\n"
  "  --set PATH=VALUE     override a scenario key, e.g.\n"
  "                       --set departments.desk.staff=4 --set arrivals.0.rate=1.5\n"
  "  --trace              also write customers.csv, one row per journey\n"
  "                       (as output.customers: true in the scenario)\n"
  "  --progress           show progress on stderr even when it is not a terminal\n"
  "  --quiet              no progress and no summary\n"
  "\n"
  "docs: README.md, docs/scenario.md, docs/outputs.md\n";

__attribute__((format(printf, 1, 2)))
static int usage_error(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "loket: error: ");
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\n%s", usage_text);
  return LOKET_EXIT_USAGE;
}


static bool parse_count(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
  if (!s || !isdigit((unsigned char)s[0]))
    return false;
  char *end;
  errno = 0;
  unsigned long long x = strtoull(s, &end, 10);
  if (*end || errno == ERANGE || x < min || x > max)
    return false;
  *out = x;
  return true;
}

/* Parses the options after the command word. Returns -1 on success or an
 * exit status. */
static int parse_options(int argc, char **argv, struct options *o,
                         enum command command)
{
  bool run = command == COMMAND_RUN, sweep = command == COMMAND_SWEEP;
  bool staff = command == COMMAND_STAFF;
  static const struct option longopts[] = {
    {"out", required_argument, NULL, 'o'},
    {"seed", required_argument, NULL, 's'},
    {"replications", required_argument, NULL, 'r'},
    {"jobs", required_argument, NULL, 'j'},
    {"set", required_argument, NULL, 'S'},
    {"progress", no_argument, NULL, 'p'},
    {"quiet", no_argument, NULL, 'q'},
    {"trace", no_argument, NULL, 't'},
    {"vary", required_argument, NULL, 'V'},
    {"variant", required_argument, NULL, 'W'},
    {"shard", required_argument, NULL, 'H'},
    {"requirement", required_argument, NULL, 'R'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  memset(o, 0, sizeof *o);
  o->progress = -1;
  o->sets = sim_xcalloc((size_t)argc, sizeof *o->sets);
  o->varies = sim_xcalloc((size_t)argc, sizeof *o->varies);
  o->variants = sim_xcalloc((size_t)argc, sizeof *o->variants);
  optind = 1;
  opterr = 0;
  int c;
  uint64_t v;
  while ((c = getopt_long(argc, argv, "o:s:r:j:S:pqtV:W:H:R:h", longopts, NULL)) != -1) {
    bool allowed = c == 'S' || c == 'h' || c == '?' || c == ':' ||
                   (run && c != 'V' && c != 'W' && c != 'H' && c != 'R') ||
                   (sweep && c != 't' && c != 'R') ||
                   (staff && strchr("orjpqR", c));
    if (!allowed) {
      /* By its long name: argv[optind - 1] is the option's value when the
       * value is a word of its own (--out DIR). */
      const char *name = "?";
      for (const struct option *l = longopts; l->name; l++)
        if (l->val == c)
          name = l->name;
      return usage_error("option '--%s' does not apply to 'loket %s'", name,
                         run ? "run" : sweep ? "sweep" : staff ? "staff" : "check");
    }
    switch (c) {
    case 'o':
      if (!*optarg)
        return usage_error("%s", "--out must name a folder, got ''");
      o->out = optarg;
      break;
    case 's':
      if (!parse_count(optarg, 0, UINT64_MAX, &o->seed))
        return usage_error("--seed must be a whole number >= 0, got '%s'", optarg);
      o->have_seed = true;
      break;
    case 'r':
      if (!parse_count(optarg, 1, 1000000, &v))
        return usage_error("--replications must be a whole number from 1 to "
                           "1000000, got '%s'", optarg);
      o->replications = (uint32_t)v;
      o->have_replications = true;
      break;
    case 'j':
      if (!parse_count(optarg, 1, 1024, &v))
        return usage_error("--jobs must be a whole number from 1 to 1024, got '%s'",
                           optarg);
      o->jobs = (unsigned)v;
      break;
    case 'S':
      o->sets[o->nsets++] = optarg;
      break;
    case 'p':
      o->progress = 1;
      break;
    case 'q':
      o->quiet = true;
      o->progress = 0;
      break;
    case 't':
      o->trace = true;
      break;
    case 'V':
      o->varies[o->nvaries++] = optarg;
      break;
    case 'W':
      o->variants[o->nvariants++] = optarg;
      break;
    case 'H': {
      unsigned long long i, n;
      char extra;
      /* Digits only: %llu alone would take "-1" as 2^64 - 1. */
      if (strspn(optarg, "0123456789/") != strlen(optarg) ||
          sscanf(optarg, "%llu/%llu%c", &i, &n, &extra) != 2 || n == 0 || i >= n ||
          n > 1000000)
        return usage_error("--shard must be I/N with 0 <= I < N, got '%s'", optarg);
      o->shard_index = (size_t)i;
      o->shard_count = (size_t)n;
      break;
    }
    case 'R':
      o->requirement = optarg;
      break;
    case 'h':
      fputs(usage_text, stdout);
      return LOKET_EXIT_OK;
    default:
      return usage_error("unknown or incomplete option '%s'", argv[optind - 1]);
    }
  }
  if (optind >= argc)
    return usage_error("%s", "missing the scenario file");
  if (optind + 1 < argc)
    return usage_error("unexpected argument '%s'", argv[optind + 1]);
  o->scenario = argv[optind];
  if (o->jobs == 0)
    o->jobs = cli_default_jobs();
  return -1;
}

static int cmd_check(const struct options *o)
{
  struct model *m = cli_load(o);
  if (!m)
    return LOKET_EXIT_USAGE;
  printf("%s: ok: '%s', %zu department%s, %zu arrival stream%s, %u "
         "replication%s of %g %s\n", o->scenario, m->name, m->ndepartments,
         m->ndepartments == 1 ? "" : "s", m->narrivals,
         m->narrivals == 1 ? "" : "s", m->replications,
         m->replications == 1 ? "" : "s", m->horizon, m->time_unit);
  char warnings[4096];
  if (model_scenario_warnings(m, o->scenario, warnings, sizeof warnings) > 0)
    fputs(warnings, stderr);
  model_free(m);
  return LOKET_EXIT_OK;
}

/* The gnuplot scripts: $LOKET_PLOTS, or plots/ of the source tree. */
static const char *plot_scripts(void)
{
  const char *env = getenv("LOKET_PLOTS");
  return env && *env ? env : LOKET_PLOTS_DIR;
}

static int cmd_plot(int argc, char **argv)
{
  const char *dir = NULL, *fmt = "png", *x = NULL, *y = NULL;
  for (int i = 2; i < argc; i++) {
    if (!strcmp(argv[i], "--format") && i + 1 < argc)
      fmt = argv[++i];
    else if (!strncmp(argv[i], "--format=", 9))
      fmt = argv[i] + 9;
    else if (!strcmp(argv[i], "--x") && i + 1 < argc)
      x = argv[++i];
    else if (!strcmp(argv[i], "--y") && i + 1 < argc)
      y = argv[++i];
    else if (argv[i][0] == '-')
      return usage_error("unknown option '%s' for 'loket plot'", argv[i]);
    else if (!dir)
      dir = argv[i];
    else
      return usage_error("unexpected argument '%s'", argv[i]);
  }
  if (!dir)
    return usage_error("%s", "missing the folder of a run (loket plot DIR)");
  if (strcmp(fmt, "png") && strcmp(fmt, "svg") && strcmp(fmt, "pdf"))
    return usage_error("--format must be png, svg or pdf, got '%s'", fmt);
  char err[1024];
  int figures;
  int rc = cli_plot(dir, fmt, x, y, plot_scripts(), err, sizeof err, &figures);
  if (rc != 0) {
    fprintf(stderr, "loket: error: %s\n", err);
    return rc == 2 ? LOKET_EXIT_USAGE : LOKET_EXIT_FAILURE;
  }
  printf("%d figures in %s/plots/\n", figures, dir);
  return LOKET_EXIT_OK;
}

int loket_main(int argc, char **argv)
{
  sim_rng_quiet_gsl_errors();
  if (argc < 2) {
    fputs(usage_text, stderr);
    return LOKET_EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
    fputs(usage_text, stdout);
    return LOKET_EXIT_OK;
  }
  if (!strcmp(cmd, "--version")) {
#ifdef LOKET_HAVE_MPI
    printf("loket %s (with MPI)\n", LOKET_VERSION);
#else
    printf("loket %s (without MPI)\n", LOKET_VERSION);
#endif
    return LOKET_EXIT_OK;
  }
  if (!strcmp(cmd, "plot"))
    return cmd_plot(argc, argv);
  if (!strcmp(cmd, "compare"))
    return cli_compare(argc - 1, argv + 1);
  if (!strcmp(cmd, "merge")) {
    if (argc != 3)
      return usage_error("%s", "loket merge takes one folder: loket merge DIR");
    int rc = cli_merge(argv[2]);
    if (rc == 0)
      printf("merged the shards in %s/ into sweep.csv and sweep_replications.csv\n",
             argv[2]);
    return rc;
  }
  enum command command = !strcmp(cmd, "run") ? COMMAND_RUN
                       : !strcmp(cmd, "check") ? COMMAND_CHECK
                       : !strcmp(cmd, "sweep") ? COMMAND_SWEEP
                       : !strcmp(cmd, "staff") ? COMMAND_STAFF : COMMAND_NONE;
  if (command == COMMAND_NONE)
    return usage_error("unknown command '%s' (try run, check, sweep, staff, "
                       "compare, merge or plot)",
                       cmd);

  struct options o;
  int rc = parse_options(argc - 1, argv + 1, &o, command);
  if (rc < 0)
    rc = command == COMMAND_RUN ? cli_run(&o)
       : command == COMMAND_SWEEP ? cli_sweep(&o)
       : command == COMMAND_STAFF ? cli_staff(&o) : cmd_check(&o);
  free(o.sets);
  free(o.varies);
  free(o.variants);
  return rc;
}
