#include "cli/sweep.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef LOKET_HAVE_MPI
#include <mpi.h>
#endif

#include "cli/report.h"
#include "models/metrics.h"
#include "models/office.h"
#include "models/scenario.h"
#include "sim/check.h"
#include "sim/csv.h"
#include "sim/progress.h"
#include "sim/runner.h"
#include "sim/stats.h"

enum { EXIT_OK = 0, EXIT_FAILURE_ = 1, EXIT_USAGE = 2 };

/* What a sweep folder is for: the axes, the replications and the seed.
 * Its text, sweep-plan.csv, must be the same for every shard. */
struct plan {
  struct model_axis *axes;
  size_t naxes;
  size_t npoints;
  size_t replications;
  uint64_t seed;
  char *text;
};

static void plan_fini(struct plan *p)
{
  for (size_t i = 0; i < p->naxes; i++)
    model_axis_fini(&p->axes[i]);
  free(p->axes);
  free(p->text);
  memset(p, 0, sizeof *p);
}

static size_t tasks_of(const struct plan *p)
{
  return p->npoints * p->replications;
}

/* The value index of each axis at point `point` (the first axis varies
 * slowest). */
static size_t value_of(const struct plan *p, size_t point, size_t axis)
{
  size_t stride = 1;
  for (size_t a = p->naxes; a-- > axis + 1;)
    stride *= p->axes[a].nvalues;
  return (point / stride) % p->axes[axis].nvalues;
}

static void plan_text(struct plan *p)
{
  size_t len = 256;
  for (size_t a = 0; a < p->naxes; a++) {
    len += strlen(p->axes[a].path) + 16;
    for (size_t v = 0; v < p->axes[a].nvalues; v++)
      len += 2 * strlen(p->axes[a].values[v]) + 4;
  }
  char *t = sim_xmalloc(len);
  size_t n = (size_t)snprintf(t, len, "key,value\nreplications,%zu\nseed,%llu\n",
                              p->replications, (unsigned long long)p->seed);
  for (size_t a = 0; a < p->naxes; a++) {
    n += (size_t)snprintf(t + n, len - n, "vary,%s", p->axes[a].path);
    for (size_t v = 0; v < p->axes[a].nvalues; v++) {
      /* Values are quoted as in CSV. */
      t[n++] = ',';
      t[n++] = '"';
      for (const char *c = p->axes[a].values[v]; *c; c++) {
        if (*c == '"')
          t[n++] = '"';
        t[n++] = *c;
      }
      t[n++] = '"';
    }
    t[n++] = '\n';
  }
  t[n] = '\0';
  p->text = t;
}

/* Reads a whole small file; NULL if it cannot be read. */
static char *slurp(const char *path)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  size_t cap = 4096, n = 0;
  char *buf = sim_xmalloc(cap);
  size_t got;
  while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
    n += got;
    if (n + 1 == cap)
      buf = sim_xrealloc(buf, cap *= 2, 1);
  }
  buf[n] = '\0';
  fclose(f);
  return buf;
}

/* Parses sweep-plan.csv back (for merge). */
static bool plan_read(const char *dir, struct plan *p, char *err, size_t errlen)
{
  char path[4096];
  snprintf(path, sizeof path, "%s/sweep-plan.csv", dir);
  char *text = slurp(path);
  if (!text) {
    snprintf(err, errlen, "cannot read '%s': %s (is '%s' a sweep folder?)", path,
             strerror(errno), dir);
    return false;
  }
  memset(p, 0, sizeof *p);
  p->text = text;
  char *copy = sim_xstrdup(text), *save = NULL;
  for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    if (!strncmp(line, "replications,", 13))
      p->replications = strtoull(line + 13, NULL, 10);
    else if (!strncmp(line, "seed,", 5))
      p->seed = strtoull(line + 5, NULL, 10);
    else if (!strncmp(line, "vary,", 5)) {
      p->axes = sim_xrealloc(p->axes, p->naxes + 1, sizeof *p->axes);
      struct model_axis *a = &p->axes[p->naxes++];
      memset(a, 0, sizeof *a);
      char *s = line + 5, *comma = strchr(s, ',');
      if (!comma)
        break;
      *comma = '\0';
      a->path = sim_xstrdup(s);
      s = comma + 1;
      while (*s == '"') {
        char *value = ++s, *out = s;
        while (*s) {
          if (*s == '"' && s[1] == '"') {
            *out++ = '"';
            s += 2;
          } else if (*s == '"') {
            s++;
            break;
          } else {
            *out++ = *s++;
          }
        }
        char next = *s;  /* ',' or the end, after the closing quote */
        *out = '\0';
        a->values = sim_xrealloc(a->values, a->nvalues + 1, sizeof *a->values);
        a->values[a->nvalues++] = sim_xstrdup(value);
        if (next != ',')
          break;
        s++;
      }
    }
  }
  free(copy);
  p->npoints = 1;
  for (size_t a = 0; a < p->naxes; a++)
    p->npoints *= p->axes[a].nvalues;
  if (p->replications == 0 || p->naxes == 0 || p->npoints == 0) {
    snprintf(err, errlen, "'%s' is damaged", path);
    return false;
  }
  return true;
}

/* ---- journals ------------------------------------------------------------ */

/* A task's row: its number and the summary columns at full precision, so
 * that merged results print exactly as the serial run's. */
static void journal_line(FILE *f, size_t task, const double *summary)
{
  fprintf(f, "%zu", task);
  for (size_t c = 0; c < MODEL_SUMMARY_NCOLS; c++) {
    if (isnan(summary[c]))
      fputs(",", f);
    else
      fprintf(f, ",%.17g", summary[c]);
  }
  fputc('\n', f);
}

/* Reads the complete lines of a journal into rows[task] (marking done[]);
 * a last line cut off by a kill is ignored, and its offset returned in
 * *complete so the writer can cut it away. Duplicates are counted. */
static bool journal_read(const char *path, size_t ntasks, double *rows, bool *done,
                         size_t *duplicates, size_t *first_duplicate,
                         long *complete, char *err, size_t errlen)
{
  FILE *f = fopen(path, "r");
  *complete = 0;
  if (!f)
    return errno == ENOENT;
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  bool header = true;
  long offset = 0;
  while ((len = getline(&line, &cap, f)) > 0) {
    if (line[len - 1] != '\n')
      break; /* cut off */
    offset += len;
    if (header) {
      header = false;
      *complete = offset;
      continue;
    }
    char *p = line, *end;
    unsigned long long task = strtoull(p, &end, 10);
    if (end == p || task >= ntasks) {
      snprintf(err, errlen, "'%s' holds a task %s that is not part of this sweep",
               path, end == p ? "line" : "number");
      free(line);
      fclose(f);
      return false;
    }
    double row[MODEL_SUMMARY_NCOLS];
    p = end;
    for (size_t c = 0; c < MODEL_SUMMARY_NCOLS; c++) {
      if (*p != ',')
        break;
      p++;
      if (*p == ',' || *p == '\n')
        row[c] = NAN;
      else
        row[c] = strtod(p, &p);
    }
    if (done[task]) {
      if (*duplicates == 0)
        *first_duplicate = task;
      (*duplicates)++;
    }
    done[task] = true;
    memcpy(rows + task * MODEL_SUMMARY_NCOLS, row, sizeof row);
    *complete = offset;
  }
  free(line);
  fclose(f);
  return true;
}

/* ---- outputs ------------------------------------------------------------- */

static void axis_columns(struct sim_csv *csv, const struct plan *p)
{
  for (size_t a = 0; a < p->naxes; a++)
    sim_csv_str(csv, p->axes[a].path);
}

static void axis_values(struct sim_csv *csv, const struct plan *p, size_t point)
{
  for (size_t a = 0; a < p->naxes; a++)
    sim_csv_str(csv, p->axes[a].values[value_of(p, point, a)]);
}

static int write_outputs(const char *dir, const struct plan *p, const double *rows,
                         char *err, size_t errlen)
{
  struct sim_csv reps, points;
  if (sim_csv_open(&reps, dir, "sweep_replications.csv") != 0 ||
      sim_csv_open(&points, dir, "sweep.csv") != 0) {
    snprintf(err, errlen, "%s", reps.failed ? reps.error : points.error);
    sim_csv_abort(&reps);
    sim_csv_abort(&points);
    return -1;
  }
  axis_columns(&reps, p);
  sim_csv_str(&reps, "replication");
  sim_csv_header(&reps, model_summary_columns);
  axis_columns(&points, p);
  for (size_t c = 0; c < MODEL_SUMMARY_NCOLS; c++) {
    char name[96];
    snprintf(name, sizeof name, "%s_mean", model_summary_columns[c]);
    sim_csv_str(&points, name);
    snprintf(name, sizeof name, "%s_ci95", model_summary_columns[c]);
    sim_csv_str(&points, name);
  }
  sim_csv_end_row(&points);

  size_t R = p->replications;
  for (size_t point = 0; point < p->npoints; point++) {
    for (size_t r = 0; r < R; r++) {
      const double *row = rows + (point * R + r) * MODEL_SUMMARY_NCOLS;
      axis_values(&reps, p, point);
      sim_csv_int(&reps, (int64_t)r + 1);
      for (size_t c = 0; c < MODEL_SUMMARY_NCOLS; c++)
        sim_csv_num(&reps, row[c]);
      sim_csv_end_row(&reps);
    }
    axis_values(&points, p, point);
    for (size_t c = 0; c < MODEL_SUMMARY_NCOLS; c++) {
      struct sim_tally t;
      sim_tally_init(&t);
      for (size_t r = 0; r < R; r++) {
        double x = rows[(point * R + r) * MODEL_SUMMARY_NCOLS + c];
        if (!isnan(x))
          sim_tally_add(&t, x);
      }
      sim_csv_num(&points, sim_tally_mean(&t));
      sim_csv_num(&points, sim_tally_ci95_halfwidth(&t));
    }
    sim_csv_end_row(&points);
  }
  if (sim_csv_commit(&reps) != 0 || sim_csv_commit(&points) != 0) {
    snprintf(err, errlen, "%s", reps.failed ? reps.error : points.error);
    sim_csv_abort(&reps);
    sim_csv_abort(&points);
    return -1;
  }
  sim_csv_abort(&reps);
  sim_csv_abort(&points);
  return 0;
}

static bool is_journal(const char *name)
{
  size_t i, n;
  char tail;
  return sscanf(name, "tasks-%zu-of-%zu.cs%c", &i, &n, &tail) == 3 && tail == 'v';
}

int cli_merge(const char *dir)
{
  char err[8192];
  struct plan p;
  if (!plan_read(dir, &p, err, sizeof err)) {
    fprintf(stderr, "loket: error: %s\n", err);
    plan_fini(&p);
    return EXIT_USAGE;
  }
  size_t T = tasks_of(&p);
  double *rows = sim_xcalloc(T * MODEL_SUMMARY_NCOLS, sizeof *rows);
  bool *done = sim_xcalloc(T, sizeof *done);
  size_t duplicates = 0, first_duplicate = 0, journals = 0;
  int rc = EXIT_OK;
  DIR *d = opendir(dir);
  struct dirent *e;
  while (rc == EXIT_OK && d && (e = readdir(d))) {
    if (!is_journal(e->d_name))
      continue;
    char path[4096];
    long complete;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    journals++;
    if (!journal_read(path, T, rows, done, &duplicates, &first_duplicate, &complete,
                      err, sizeof err)) {
      fprintf(stderr, "loket: error: %s\n", err);
      rc = EXIT_FAILURE_;
    }
  }
  if (d)
    closedir(d);
  size_t missing = 0, first_missing = 0;
  for (size_t t = 0; t < T; t++)
    if (!done[t] && missing++ == 0)
      first_missing = t;
  if (rc == EXIT_OK && duplicates) {
    fprintf(stderr, "loket: error: %zu task%s appear in more than one shard (the "
                    "first is task %zu); the shards in '%s' do not belong together\n",
            duplicates, duplicates == 1 ? "" : "s", first_duplicate, dir);
    rc = EXIT_FAILURE_;
  }
  if (rc == EXIT_OK && missing) {
    fprintf(stderr, "loket: error: %zu of %zu tasks are missing (the first is task "
                    "%zu: point %zu, replication %zu) in %zu shard file%s in '%s'; "
                    "run the missing shards, then merge again\n",
            missing, T, first_missing, first_missing / p.replications + 1,
            first_missing % p.replications + 1, journals, journals == 1 ? "" : "s", dir);
    rc = EXIT_FAILURE_;
  }
  if (rc == EXIT_OK && write_outputs(dir, &p, rows, err, sizeof err) != 0) {
    fprintf(stderr, "loket: error: %s\n", err);
    rc = EXIT_FAILURE_;
  }
  free(rows);
  free(done);
  plan_fini(&p);
  return rc;
}

/* ---- running ------------------------------------------------------------- */

struct sweep_ctx {
  const struct plan *plan;
  struct model **models;     /* one per point */
  const size_t *todo;        /* task numbers to run */
  FILE *journal;
  pthread_mutex_t lock;
  int failed;
};

static int run_task(void *ctx, size_t i, void *result)
{
  struct sweep_ctx *s = ctx;
  (void)result;
  size_t task = s->todo[i];
  size_t point = task / s->plan->replications, r = task % s->plan->replications;
  const struct model *m = s->models[point];
  struct model_result res;
  model_result_init(&res, m);
  int status = model_office_run(m, s->plan->seed, (uint32_t)r, &res);
  pthread_mutex_lock(&s->lock);
  journal_line(s->journal, task, res.summary);
  if (fflush(s->journal) != 0)
    s->failed = errno;
  pthread_mutex_unlock(&s->lock);
  model_result_fini(&res);
  return status;
}

/* The axes: --vary, or the scenario's sweep: block. */
static bool make_axes(const struct options *o, const struct model *base,
                      struct plan *p)
{
  if (o->nvaries == 0) {
    if (base->naxes == 0) {
      fprintf(stderr, "loket: error: nothing to vary: give --vary PATH=V1,V2,... "
                      "or a sweep: block in the scenario\n");
      return false;
    }
    p->naxes = base->naxes;
    p->axes = sim_xcalloc(p->naxes, sizeof *p->axes);
    for (size_t a = 0; a < p->naxes; a++) {
      p->axes[a].path = sim_xstrdup(base->axes[a].path);
      p->axes[a].nvalues = base->axes[a].nvalues;
      p->axes[a].values = sim_xcalloc(p->axes[a].nvalues, sizeof(char *));
      for (size_t v = 0; v < p->axes[a].nvalues; v++)
        p->axes[a].values[v] = sim_xstrdup(base->axes[a].values[v]);
    }
    return true;
  }
  p->axes = sim_xcalloc(o->nvaries, sizeof *p->axes);
  for (size_t i = 0; i < o->nvaries; i++) {
    const char *eq = strchr(o->varies[i], '=');
    struct model_axis *a = &p->axes[p->naxes++];
    char err[256];
    if (!eq || eq == o->varies[i] || !eq[1]) {
      fprintf(stderr, "loket: error: --vary %s: expected PATH=V1,V2,... or "
                      "PATH=LO:HI:STEP\n", o->varies[i]);
      return false;
    }
    a->path = sim_xmalloc((size_t)(eq - o->varies[i]) + 1);
    memcpy(a->path, o->varies[i], (size_t)(eq - o->varies[i]));
    a->path[eq - o->varies[i]] = '\0';
    if (model_axis_values(a, eq + 1, err, sizeof err) != 0) {
      fprintf(stderr, "loket: error: --vary %s: %s\n", o->varies[i], err);
      return false;
    }
  }
  return true;
}

/* Under mpirun or srun every rank runs the shard rank/size, then rank 0
 * merges once all are done. MPI is started only when a launcher is there,
 * so a plain `loket sweep` does not pay for it. */
struct ranks {
  size_t rank, size;
  bool mpi;
};

static bool launched_by_mpi(void)
{
  return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMI_SIZE") ||
         getenv("PMIX_RANK") || getenv("PMI_RANK");
}

static int ranks_start(struct ranks *r, const struct options *o)
{
  *r = (struct ranks){0, 1, false};
  if (!launched_by_mpi())
    return 0;
#ifdef LOKET_HAVE_MPI
  int rank, size;
  MPI_Init(NULL, NULL);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  *r = (struct ranks){(size_t)rank, (size_t)size, true};
  const char *tasks = getenv("SLURM_STEP_NUM_TASKS");
  if (size == 1 && tasks && atoi(tasks) > 1) {
    fprintf(stderr, "loket: error: srun started %s copies but MPI sees one rank "
                    "each; use srun --mpi=pmix with OpenMPI (pmi2 with MPICH)\n", tasks);
    return EXIT_USAGE;
  }
  if (size > 1 && o->shard_count) {
    fprintf(stderr, "loket: error: --shard and MPI ranks both divide the tasks; "
                    "use one of them\n");
    return EXIT_USAGE;
  }
  return 0;
#else
  (void)o;
  if (getenv("OMPI_COMM_WORLD_SIZE") && atoi(getenv("OMPI_COMM_WORLD_SIZE")) > 1) {
    fprintf(stderr, "loket: error: started by mpirun, but this loket was built "
                    "without MPI (install libopenmpi-dev and rebuild), or use --shard\n");
    return EXIT_USAGE;
  }
  return 0;
#endif
}

/* The worst status of all ranks; every rank calls this exactly once, after
 * its own tasks, whatever happened before. */
static int ranks_agree(const struct ranks *r, int rc)
{
#ifdef LOKET_HAVE_MPI
  if (r->mpi) {
    int worst = rc;
    MPI_Allreduce(&rc, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    return worst;
  }
#else
  (void)r;
#endif
  return rc;
}

static void ranks_stop(const struct ranks *r)
{
#ifdef LOKET_HAVE_MPI
  if (r->mpi)
    MPI_Finalize();
#else
  (void)r;
#endif
}

static int sweep(const struct options *o, const struct ranks *ranks, char **merge_dir);

int cli_sweep(const struct options *o)
{
  struct ranks ranks;
  char *merge_dir = NULL;
  int rc = ranks_start(&ranks, o);
  if (rc == 0)
    rc = sweep(o, &ranks, &merge_dir);
  rc = ranks_agree(&ranks, rc);
  /* Rank 0 (or the only process) joins the journals once all are done. */
  if (rc == EXIT_OK && merge_dir && ranks.rank == 0) {
    rc = cli_merge(merge_dir);
    if (rc == EXIT_OK && !o->quiet)
      printf("results in %s/sweep.csv\n", merge_dir);
  }
  free(merge_dir);
  ranks_stop(&ranks);
  return rc;
}

/* Runs this process's tasks; sets *merge_dir when the journals are to be
 * merged (not for a --shard). */
static int sweep(const struct options *o, const struct ranks *ranks, char **merge_dir)
{
  char err[8192];
  struct model *base = model_scenario_load(o->scenario, o->sets, o->nsets, err,
                                           sizeof err);
  if (!base) {
    fprintf(stderr, "%s\n", err);
    return EXIT_USAGE;
  }
  struct plan p = {0};
  int rc = EXIT_USAGE;
  struct model **models = NULL;
  const char **sets = NULL;
  char *dir = NULL;
  if (!make_axes(o, base, &p))
    goto done;
  p.npoints = 1;
  for (size_t a = 0; a < p.naxes; a++) {
    if (p.npoints > 1000000 / p.axes[a].nvalues) {
      fprintf(stderr, "loket: error: the sweep has more than a million points\n");
      goto done;
    }
    p.npoints *= p.axes[a].nvalues;
  }
  p.replications = o->have_replications ? o->replications : base->replications;
  p.seed = o->have_seed ? o->seed : base->seed;
  if (p.npoints * p.replications > 100000000) {
    fprintf(stderr, "loket: error: %zu points x %zu replications is more than 10^8 "
                    "tasks\n", p.npoints, p.replications);
    goto done;
  }
  plan_text(&p);

  /* Every point is a scenario of its own, validated before anything runs:
   * a bad value is reported with the point it belongs to. */
  models = sim_xcalloc(p.npoints, sizeof *models);
  sets = sim_xcalloc(o->nsets + p.naxes, sizeof *sets);
  for (size_t i = 0; i < o->nsets; i++)
    sets[i] = o->sets[i];
  for (size_t point = 0; point < p.npoints; point++) {
    char **assign = sim_xcalloc(p.naxes, sizeof *assign);
    for (size_t a = 0; a < p.naxes; a++) {
      const char *v = p.axes[a].values[value_of(&p, point, a)];
      assign[a] = sim_xmalloc(strlen(p.axes[a].path) + strlen(v) + 2);
      sprintf(assign[a], "%s=%s", p.axes[a].path, v);
      sets[o->nsets + a] = assign[a];
    }
    models[point] = model_scenario_load(o->scenario, sets, o->nsets + p.naxes, err,
                                        sizeof err);
    if (!models[point])
      fprintf(stderr, "%s\n", err);
    for (size_t a = 0; a < p.naxes; a++)
      free(assign[a]);
    free(assign);
    if (!models[point])
      goto done;
  }

  dir = cli_output_folder(o->out, base->name, "-sweep");
  rc = EXIT_FAILURE_;
  if (sim_mkdir_p(dir) != 0) {
    fprintf(stderr, "loket: error: cannot create output folder '%s': %s\n", dir,
            strerror(errno));
    goto done;
  }

  /* The plan: written once, and the same for every shard after that. */
  char path[4096];
  snprintf(path, sizeof path, "%s/sweep-plan.csv", dir);
  char *existing = slurp(path);
  if (existing && strcmp(existing, p.text) != 0) {
    fprintf(stderr, "loket: error: '%s' holds a different sweep (its sweep-plan.csv "
                    "differs); use another --out or empty the folder\n", dir);
    free(existing);
    rc = EXIT_USAGE;
    goto done;
  }
  if (!existing) {
    struct sim_csv plan_csv;
    if (sim_csv_open(&plan_csv, dir, "sweep-plan.csv") == 0) {
      fputs(p.text, plan_csv.file);
      sim_csv_commit(&plan_csv);
    }
    if (plan_csv.failed) {
      fprintf(stderr, "loket: error: %s\n", plan_csv.error);
      sim_csv_abort(&plan_csv);
      goto done;
    }
    sim_csv_abort(&plan_csv);
  }
  free(existing);
  /* about.csv, for `loket plot` (every shard writes the same). */
  struct sim_csv about;
  if (sim_csv_open(&about, dir, "about.csv") == 0) {
    report_about_rows(&about, base, p.replications);
    sim_csv_commit(&about);
  }
  sim_csv_abort(&about);

  /* This shard's journal: what is in it is done. */
  size_t shard = o->shard_index, shards = o->shard_count ? o->shard_count : 1;
  if (ranks->size > 1) {
    shard = ranks->rank;
    shards = ranks->size;
  }
  size_t T = tasks_of(&p);
  double *rows = sim_xcalloc(T * MODEL_SUMMARY_NCOLS, sizeof *rows);
  bool *done = sim_xcalloc(T, sizeof *done);
  size_t dup = 0, first_dup = 0;
  long complete;
  snprintf(path, sizeof path, "%s/tasks-%zu-of-%zu.csv", dir, shard, shards);
  bool ok = journal_read(path, T, rows, done, &dup, &first_dup, &complete, err,
                         sizeof err);
  free(rows);
  FILE *journal = NULL;
  if (ok) {
    /* Cut away a line a kill left half-written, then append. */
    if (complete > 0 && truncate(path, complete) != 0)
      ok = false;
    journal = ok ? fopen(path, complete > 0 ? "a" : "w") : NULL;
    if (journal && complete == 0) {
      fputs("task", journal);
      for (size_t c = 0; c < MODEL_SUMMARY_NCOLS; c++)
        fprintf(journal, ",%s", model_summary_columns[c]);
      fputc('\n', journal);
    }
    if (!journal)
      snprintf(err, sizeof err, "cannot write '%s': %s", path, strerror(errno));
  }
  if (!ok || !journal) {
    fprintf(stderr, "loket: error: %s\n", err);
    free(done);
    goto done;
  }
  size_t *todo = sim_xcalloc(T, sizeof *todo), ntodo = 0, skipped = 0;
  for (size_t t = shard; t < T; t += shards) {
    if (done[t])
      skipped++;
    else
      todo[ntodo++] = t;
  }
  free(done);
  if (skipped && o->progress != 0)
    fprintf(stderr, "loket: %zu task%s of this %s already done in '%s', skipped\n",
            skipped, skipped == 1 ? "" : "s", shards > 1 ? "shard" : "sweep", dir);

  struct sweep_ctx ctx = {.plan = &p, .models = models, .todo = todo,
                          .journal = journal};
  pthread_mutex_init(&ctx.lock, NULL);
  struct sim_progress progress;
  sim_progress_init(&progress, "tasks", o->progress);
  int *status = sim_xcalloc(ntodo ? ntodo : 1, sizeof *status);
  struct sim_runner runner = {
    .ntasks = ntodo, .jobs = o->jobs, .fn = run_task, .ctx = &ctx,
    .results = status, .result_size = sizeof *status,
    .progress = sim_progress_update, .progress_ctx = &progress,
  };
  int run_status = sim_runner_run(&runner);
  sim_progress_fini(&progress);
  pthread_mutex_destroy(&ctx.lock);
  free(status);
  free(todo);
  if (fclose(journal) != 0 || ctx.failed) {
    fprintf(stderr, "loket: error: cannot write '%s'\n", path);
    goto done;
  }
  if (run_status != 0) {
    fprintf(stderr, "loket: error: a task failed\n");
    goto done;
  }
  rc = EXIT_OK;
  if (ranks->size == 1 && shards > 1) {
    if (!o->quiet)
      printf("shard %zu/%zu of %zu tasks done in %s/; when every shard is done: "
             "loket merge %s\n", shard, shards, T, dir, dir);
  } else {
    *merge_dir = sim_xstrdup(dir);
    if (!o->quiet && ranks->rank == 0)
      printf("%s: %zu points x %zu replications\n", base->name, p.npoints,
             p.replications);
  }

done:
  for (size_t i = 0; models && i < p.npoints; i++)
    model_free(models[i]);
  free(models);
  free(sets);
  free(dir);
  plan_fini(&p);
  model_free(base);
  return rc;
}
