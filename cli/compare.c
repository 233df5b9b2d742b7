/* `loket compare` (see cli/compare.h): the command — its options, the
 * variants run into one folder, then the folders read back and compared
 * (cli/compare_folder.c, cli/compare_table.c). */
#include "cli/compare.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/compare_parts.h"
#include "cli/run.h"
#include "cli/options.h"
#include "sim/check.h"
#include "models/scenario.h"

/* ---- the command ----------------------------------------------------------- */

static const char compare_usage[] =
  "usage: loket compare DIR_A DIR_B [DIR_C ...] [--out DIR]\n"
  "       loket compare SCENARIO.yaml --variant NAME:PATH=VALUE[,PATH=VALUE...]...\n"
  "                     [--out DIR] [--jobs N] [--replications R] [--set PATH=VALUE]...\n";

__attribute__((format(printf, 1, 2)))
static int compare_usage_error(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "loket: error: ");
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\n%s", compare_usage);
  return LOKET_EXIT_USAGE;
}

/* A variant's name becomes a folder: letters, digits, '.', '-', '_', not
 * starting with '.'. */
static bool good_name(const char *s, size_t len)
{
  if (len == 0 || len > 80 || s[0] == '.')
    return false;
  for (size_t i = 0; i < len; i++)
    if (!isalnum((unsigned char)s[i]) && !strchr("._-", s[i]))
      return false;
  return true;
}

/* NAME:PATH=VALUE,PATH=VALUE, split as loket sweep's --variant is
 * (model_variant_parse: at commas outside brackets, braces and quotes, so
 * a value may be a flow list or mapping, "cut:departments.desk.staff=[{at:
 * '09:00', staff: 4}, ...]"), with a NAME that can be a folder; NAME:
 * alone is the scenario as written. */
static bool parse_variant(const char *spec, struct model_variant *v, char *err,
                          size_t errlen)
{
  memset(v, 0, sizeof *v);
  err[0] = '\0';
  const char *colon = strchr(spec, ':');
  if (!colon || !good_name(spec, (size_t)(colon - spec)))
    return false;
  if (!colon[1]) {
    v->name = sim_xmalloc((size_t)(colon - spec) + 1);
    memcpy(v->name, spec, (size_t)(colon - spec));
    v->name[colon - spec] = '\0';
    return true;
  }
  return model_variant_parse(v, spec, err, errlen) == 0;
}

/* The folder's last path element ("out/lunch-cut/" -> "lunch-cut"). */
static char *base_name(const char *dir)
{
  size_t end = strlen(dir);
  while (end > 1 && dir[end - 1] == '/')
    end--;
  size_t start = end;
  while (start > 0 && dir[start - 1] != '/')
    start--;
  char *s = sim_xmalloc(end - start + 1);
  memcpy(s, dir + start, end - start);
  s[end - start] = '\0';
  return s;
}

static bool is_file(const char *path)
{
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

struct compare_options {
  const char *out;
  const char **positional;
  size_t npositional;
  struct model_variant *variants;
  size_t nvariants;
  const char **sets;
  size_t nsets;
  unsigned jobs;
  uint32_t replications;
  bool quiet;
  int progress;
};

static int parse(int argc, char **argv, struct compare_options *o)
{
  memset(o, 0, sizeof *o);
  o->progress = -1;
  o->positional = sim_xcalloc((size_t)argc, sizeof *o->positional);
  o->sets = sim_xcalloc((size_t)argc, sizeof *o->sets);
  o->variants = sim_xcalloc((size_t)argc, sizeof *o->variants);
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    bool takes = !strcmp(a, "--out") || !strcmp(a, "--variant") || !strcmp(a, "--set") ||
                 !strcmp(a, "--jobs") || !strcmp(a, "--replications");
    if (takes && i + 1 >= argc)
      return compare_usage_error("%s needs a value", a);
    unsigned long long x;
    char extra;
    if (!strcmp(a, "--out")) {
      o->out = argv[++i];
      if (!*o->out)
        return compare_usage_error("%s", "--out must name a folder, got ''");
    } else if (!strcmp(a, "--variant")) {
      struct model_variant *v = &o->variants[o->nvariants++];
      char why[256];
      bool parsed = parse_variant(argv[++i], v, why, sizeof why);
      if (!parsed && why[0])
        return compare_usage_error("--variant %s: %s", argv[i], why);
      if (!parsed)
        return compare_usage_error("--variant must be NAME:PATH=VALUE[,PATH=VALUE...] "
                                   "with a NAME of letters, digits, '.', '-' and '_', "
                                   "got '%s'", argv[i]);
      for (size_t k = 0; k + 1 < o->nvariants; k++)
        if (!strcmp(o->variants[k].name, v->name))
          return compare_usage_error("two variants are named '%s'", v->name);
      for (size_t k = 0; k < v->nsets; k++)
        if (model_path_is_shared(v->sets[k]))
          return compare_usage_error("--variant %s: %.*s: the variants of a comparison "
                                     "share the seed and the replications (they are "
                                     "paired replication by replication); set them "
                                     "for all with --set seed=N or --replications R",
                                     v->name, (int)strcspn(v->sets[k], "="), v->sets[k]);
    } else if (!strcmp(a, "--set")) {
      o->sets[o->nsets++] = argv[++i];
    } else if (!strcmp(a, "--jobs")) {
      if (sscanf(argv[++i], "%llu%c", &x, &extra) != 1 || x < 1 || x > 1024 ||
          !isdigit((unsigned char)argv[i][0]))
        return compare_usage_error("--jobs must be a whole number from 1 to 1024, "
                                   "got '%s'", argv[i]);
      o->jobs = (unsigned)x;
    } else if (!strcmp(a, "--replications")) {
      if (sscanf(argv[++i], "%llu%c", &x, &extra) != 1 || x < 1 || x > 1000000 ||
          !isdigit((unsigned char)argv[i][0]))
        return compare_usage_error("--replications must be a whole number from 1 "
                                   "to 1000000, got '%s'", argv[i]);
      o->replications = (uint32_t)x;
    } else if (!strcmp(a, "--quiet")) {
      o->quiet = true;
      o->progress = 0;
    } else if (!strcmp(a, "--progress")) {
      o->progress = 1;
    } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      fputs(compare_usage, stdout);
      return LOKET_EXIT_OK;
    } else if (a[0] == '-' && a[1]) {
      return compare_usage_error("unknown option '%s' for 'loket compare'", a);
    } else {
      o->positional[o->npositional++] = a;
    }
  }
  if (o->nvariants) {
    if (o->npositional != 1)
      return compare_usage_error("%s", "--variant needs exactly one scenario file");
    if (o->nvariants < 2)
      return compare_usage_error("%s", "give at least two variants to compare");
  } else {
    if (o->npositional == 1 && is_file(o->positional[0]))
      return compare_usage_error("%s", "name the variants of the scenario with "
                                       "--variant NAME:PATH=VALUE");
    if (o->npositional < 2)
      return compare_usage_error("%s", "give at least two run folders to compare");
    if (o->nsets || o->jobs || o->replications)
      return compare_usage_error("%s", "--set, --jobs and --replications apply only "
                                       "to variants of a scenario");
  }
  return -1;
}

static void compare_options_fini(struct compare_options *o)
{
  for (size_t v = 0; v < o->nvariants; v++)
    model_variant_fini(&o->variants[v]);
  free(o->variants);
  free(o->positional);
  free(o->sets);
}

/* The options of `loket run` for variant v, into DIR/NAME. */
static struct options run_options(const struct compare_options *c,
                                  const struct model_variant *v, const char **sets,
                                  char *out)
{
  size_t n = 0;
  for (size_t i = 0; i < c->nsets; i++)
    sets[n++] = c->sets[i];
  for (size_t i = 0; i < v->nsets; i++)
    sets[n++] = v->sets[i];
  return (struct options){
    .scenario = c->positional[0], .out = out, .sets = sets, .nsets = n,
    .have_replications = c->replications != 0, .replications = c->replications,
    .jobs = c->jobs ? c->jobs : cli_default_jobs(), .progress = c->progress,
    .quiet = true,
  };
}

/* Runs every variant into DIR/NAME/. Every variant is loaded (and so
 * checked) before the first is run: a bad one writes nothing. */
static int run_variants(const struct compare_options *c, const char *dir,
                        char **dirs)
{
  int rc = LOKET_EXIT_OK;
  double within = NAN;   /* the first variant's service_level.within */
  for (size_t v = 0; rc == LOKET_EXIT_OK && v < c->nvariants; v++) {
    const char **sets = sim_xcalloc(c->nsets + c->variants[v].nsets + 1, sizeof *sets);
    struct options o = run_options(c, &c->variants[v], sets, NULL);
    char why[MODEL_ERROR_MAX];
    struct model *m = model_scenario_load(o.scenario, o.sets, o.nsets, why, sizeof why);
    if (!m) {
      fprintf(stderr, "%s\n(in variant '%s')\n", why, c->variants[v].name);
      rc = LOKET_EXIT_USAGE;
    } else if (v == 0) {
      within = m->service_level_within;
    } else if (m->service_level_within != within) {
      /* Service levels of other thresholds measure different things: the
       * difference would be the threshold's, not the variant's. */
      fprintf(stderr, "loket: error: --variant %s: service_level.within is %g, the "
                      "first variant's %g: their service levels would count "
                      "different waits; set it for all with --set\n",
              c->variants[v].name, m->service_level_within, within);
      rc = LOKET_EXIT_USAGE;
    }
    model_free(m);
    free(sets);
  }
  char err[1024];
  if (rc == LOKET_EXIT_OK && cli_prepare_output_folder(dir, NULL, err, sizeof err) != 0) {
    fprintf(stderr, "loket: error: %s\n", err);
    rc = LOKET_EXIT_FAILURE;
  }
  for (size_t v = 0; rc == LOKET_EXIT_OK && v < c->nvariants; v++) {
    dirs[v] = compare_path_in(dir, c->variants[v].name);
    const char **sets = sim_xcalloc(c->nsets + c->variants[v].nsets + 1, sizeof *sets);
    struct options o = run_options(c, &c->variants[v], sets, dirs[v]);
    if (!c->quiet)
      fprintf(stderr, "variant %s: running into %s/\n", c->variants[v].name, dirs[v]);
    rc = cli_run(&o);
    free(sets);
  }
  return rc;
}

int cli_compare(int argc, char **argv)
{
  struct compare_options c;
  int rc = parse(argc, argv, &c);
  if (rc >= 0) {
    compare_options_fini(&c);
    return rc;
  }
  bool variants = c.nvariants > 0;
  size_t nf = variants ? c.nvariants : c.npositional;
  char **names = sim_xcalloc(nf, sizeof *names);
  for (size_t v = 0; v < nf; v++) {
    names[v] = variants ? sim_xstrdup(c.variants[v].name) : base_name(c.positional[v]);
    /* Two folders of one name (a/out, b/out) become out and out-2. */
    for (unsigned k = 2; ; k++) {
      size_t same = 0;
      while (same < v && strcmp(names[same], names[v]))
        same++;
      if (same == v)
        break;
      char *base = variants ? sim_xstrdup(c.variants[v].name) : base_name(c.positional[v]);
      size_t len = strlen(base) + 16;
      free(names[v]);
      names[v] = sim_xmalloc(len);
      snprintf(names[v], len, "%s-%u", base, k);
      free(base);
    }
  }
  size_t len = strlen(names[0]) + 16;
  char *label = sim_xmalloc(len);
  snprintf(label, len, "compare-%s", names[0]);
  char *dir = cli_output_folder(c.out, label, "");
  free(label);

  char **dirs = sim_xcalloc(nf, sizeof *dirs);
  char err[2048];
  if (variants) {
    rc = run_variants(&c, dir, dirs);
  } else {
    for (size_t v = 0; v < nf; v++)
      dirs[v] = sim_xstrdup(c.positional[v]);
    rc = LOKET_EXIT_OK;
  }

  /* Runs written before journeys.csv existed are compared without it;
   * the pools only when every run has them (the same ones, see below). */
  bool journeys = true, pools = true;
  for (size_t v = 0; rc == LOKET_EXIT_OK && v < nf; v++) {
    char *path = compare_path_in(dirs[v], "journeys.csv");
    journeys = journeys && is_file(path);
    free(path);
    path = compare_path_in(dirs[v], "pools.csv");
    pools = pools && is_file(path);
    free(path);
  }
  struct folder *f = sim_xcalloc(nf, sizeof *f);
  for (size_t v = 0; rc == LOKET_EXIT_OK && v < nf; v++) {
    f[v].name = sim_xstrdup(names[v]);
    f[v].dir = sim_xstrdup(dirs[v]);
    if (compare_read_folder(&f[v], journeys, pools, err, sizeof err) != 0) {
      fprintf(stderr, "loket: error: %s\n", err);
      rc = LOKET_EXIT_USAGE;
    }
  }
  /* Variants may change the pools (serve other departments, or none):
   * then the pools are not compared, the rest still is. */
  if (rc == LOKET_EXIT_OK && !compare_shared_pools(f, nf) && !c.quiet)
    fprintf(stderr, "loket: note: the variants' pools differ (or serve other "
                    "departments): pools.csv is not compared\n");
  for (size_t v = 1; rc == LOKET_EXIT_OK && v < nf; v++)
    if (compare_comparable(&f[0], &f[v], err, sizeof err) != 0) {
      fprintf(stderr, "loket: error: %s\n", err);
      rc = LOKET_EXIT_USAGE;
    }
  if (rc == LOKET_EXIT_OK && !variants &&
      cli_prepare_output_folder(dir, NULL, err, sizeof err) != 0) {
    fprintf(stderr, "loket: error: %s\n", err);
    rc = LOKET_EXIT_FAILURE;
  }
  if (rc == LOKET_EXIT_OK && compare_write(dir, f, nf, variants, err, sizeof err) != 0) {
    fprintf(stderr, "loket: error: %s\n", err);
    rc = LOKET_EXIT_FAILURE;
  }
  if (rc == LOKET_EXIT_OK && !c.quiet) {
    compare_print_table(stdout, f, nf);
    printf("results in %s/compare.csv\n", dir);
  }
  for (size_t v = 0; v < nf; v++) {
    compare_folder_fini(&f[v]);
    free(names[v]);
    free(dirs[v]);
  }
  free(f);
  free(names);
  free(dirs);
  free(dir);
  compare_options_fini(&c);
  return rc;
}
