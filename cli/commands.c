#include "cli/commands.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/compare.h"
#include "cli/options.h"
#include "cli/plot.h"
#include "cli/sweep.h"
#include "cli/report.h"
#include "cli/staff.h"
#include "cli/trace.h"
#include "models/office.h"
#include "models/scenario.h"
#include "sim/check.h"
#include "sim/csv.h"
#include "sim/progress.h"
#include "sim/rng.h"
#include "sim/stats.h"
#include "sim/runner.h"

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
    if (!allowed)
      return usage_error("option '%s' does not apply to 'loket %s'", argv[optind - 1],
                         run ? "run" : sweep ? "sweep" : staff ? "staff" : "check");
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
      if (sscanf(optarg, "%llu/%llu%c", &i, &n, &extra) != 2 || n == 0 || i >= n ||
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

struct run_ctx {
  const struct model *model;
  uint64_t seed;
  struct cli_trace *trace;  /* NULL: no customers.csv */
  struct sim_sketch waits;  /* pooled over replications (waits.csv) */
  pthread_mutex_t lock;     /* guards waits and failed */
  size_t failed;            /* the first replication that failed, or SIZE_MAX */
  int failed_status;
};

/* One replication. Its histogram of waits is merged into the pool as soon
 * as it is done: counts add exactly, so the order replications finish in
 * does not matter, and memory stays at one histogram per thread. */
static int run_replication(void *ctx, size_t task, void *result)
{
  struct run_ctx *rc = ctx;
  struct model_result *r = result;
  struct sim_sketch waits;
  sim_sketch_init(&waits);
  r->waits = &waits;
  struct model_journey_sink sink = {NULL, NULL};
  if (rc->trace)
    sink = cli_trace_begin(rc->trace, task);
  int status = model_office_run_traced(rc->model, rc->seed, (uint32_t)task, r, sink);
  if (rc->trace)
    cli_trace_end(rc->trace, task);
  pthread_mutex_lock(&rc->lock);
  sim_sketch_merge(&rc->waits, &waits);
  if (status != 0 && (rc->failed == SIZE_MAX || task < rc->failed)) {
    rc->failed = task;
    rc->failed_status = status;
  }
  pthread_mutex_unlock(&rc->lock);
  r->waits = NULL;
  sim_sketch_fini(&waits);
  return status;
}

static struct model *load(const struct options *o)
{
  char err[MODEL_ERROR_MAX];
  struct model *m = model_scenario_load(o->scenario, o->sets, o->nsets, err,
                                        sizeof err);
  if (!m)
    fprintf(stderr, "%s\n", err);
  return m;
}

static int cmd_check(const struct options *o)
{
  struct model *m = load(o);
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

int cli_run(const struct options *o)
{
  struct model *m = load(o);
  if (!m)
    return LOKET_EXIT_USAGE;
  if (o->have_seed)
    m->seed = o->seed;
  if (o->have_replications)
    m->replications = o->replications;
  if (o->trace)
    m->trace_customers = true;
  /* An unstable department is worth a word before a long run (not with
   * --quiet, which silences everything but errors). */
  char warnings[4096];
  if (!o->quiet && model_scenario_warnings(m, o->scenario, warnings, sizeof warnings) > 0)
    fputs(warnings, stderr);

  /* Results are kept per replication until the end; the time series is the
   * only part that grows with the model, so it is the one to check. */
  double series_bytes = (double)m->replications * (double)m->ndepartments *
                        (double)m->nintervals * MODEL_TIMESERIES_NCOLS * sizeof(double);
  if (series_bytes > 4.0 * (1u << 30)) {
    fprintf(stderr, "loket: error: the time series of %u replications x %zu "
                    "departments x %u intervals would need %.1f GiB; make "
                    "output.interval longer or run fewer replications\n",
            m->replications, m->ndepartments, m->nintervals,
            series_bytes / (1u << 30));
    model_free(m);
    return LOKET_EXIT_USAGE;
  }

  /* The folder is made (or found unwritable) before anything is simulated. */
  char *dir = cli_output_folder(o->out, m->name, "");
  char err[1024];
  if (cli_prepare_output_folder(dir, err, sizeof err) != 0) {
    fprintf(stderr, "loket: error: %s\n", err);
    free(dir);
    model_free(m);
    return LOKET_EXIT_FAILURE;
  }

  size_t n = m->replications;
  struct model_result *results = sim_xcalloc(n, sizeof *results);
  for (size_t i = 0; i < n; i++)
    model_result_init(&results[i], m);

  /* The customer trace streams into the output folder while running. */
  struct cli_trace trace;
  bool tracing = m->trace_customers;
  if (tracing)
    cli_trace_init(&trace, m, dir, n);

  struct sim_progress progress;
  sim_progress_init(&progress, "replications", o->progress);
  struct run_ctx ctx = {.model = m, .seed = m->seed,
                        .trace = tracing ? &trace : NULL, .failed = SIZE_MAX};
  sim_sketch_init(&ctx.waits);
  pthread_mutex_init(&ctx.lock, NULL);
  struct sim_runner runner = {
    .ntasks = n, .jobs = o->jobs, .fn = run_replication, .ctx = &ctx,
    .results = results, .result_size = sizeof *results,
    .progress = sim_progress_update, .progress_ctx = &progress,
  };
  int status = sim_runner_run(&runner);
  sim_progress_fini(&progress);

  int exit_code = LOKET_EXIT_OK;
  if (status != 0) {
    if (ctx.failed != SIZE_MAX)
      fprintf(stderr, "loket: error: replication %zu failed (status %d); no output "
                      "was written\n", ctx.failed + 1, ctx.failed_status);
    else
      fprintf(stderr, "loket: error: a replication failed (status %d); no output "
                      "was written\n", status);
    exit_code = LOKET_EXIT_FAILURE;
  } else if ((tracing && cli_trace_finish(&trace, err, sizeof err) != 0) ||
             report_write_run(dir, m, results, n, &ctx.waits, err, sizeof err) != 0) {
    fprintf(stderr, "loket: error: %s\n", err);
    exit_code = LOKET_EXIT_FAILURE;
  } else if (!o->quiet) {
    report_print_summary(stdout, m, results, n, dir);
  }
  if (tracing)
    cli_trace_fini(&trace);
  sim_sketch_fini(&ctx.waits);
  pthread_mutex_destroy(&ctx.lock);

  for (size_t i = 0; i < n; i++)
    model_result_fini(&results[i]);
  free(results);
  free(dir);
  model_free(m);
  return exit_code;
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
