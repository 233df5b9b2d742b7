#include "cli/sweep.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <fcntl.h>
#include <unistd.h>

#include "cli/options.h"
#include "cli/report.h"
#include "cli/sweep_journal.h"
#include "cli/sweep_plan.h"
#include "cli/sweep_ranks.h"
#include "models/metrics.h"
#include "models/model_hash.h"
#include "models/office.h"
#include "models/scenario.h"
#include "sim/check.h"
#include "sim/csv.h"
#include "sim/progress.h"
#include "sim/runner.h"

struct sweep_ctx {
  const struct sweep_plan *plan;
  struct model **models;     /* one per point */
  const size_t *todo;        /* task numbers to run */
  struct sweep_journal *journal;
  pthread_mutex_t lock;
  int write_errno;           /* the first failed write to the journal */
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
  if (status == 0) {
    /* A failed task is not journaled: a resumed sweep runs it again. */
    pthread_mutex_lock(&s->lock);
    if (sweep_journal_append(s->journal, task, res.summary) != 0 && !s->write_errno)
      s->write_errno = errno ? errno : EIO;
    pthread_mutex_unlock(&s->lock);
  }
  model_result_fini(&res);
  return status;
}

/* Keys a sweep cannot vary (model_path_is_shared): the seed and the
 * replications are the same for every point (that is what makes the
 * points comparable). `who` names the option: "--vary", or "--variant
 * NAME:" for a variant's assignment. */
static bool refused_axis(const char *who, const char *path)
{
  if (!model_path_is_shared(path))
    return false;
  if (!strncmp(path, "seed", 4))
    fprintf(stderr, "loket: error: %s seed: every point of a sweep uses the same "
                    "seed (common random numbers); give --seed N, and run one sweep "
                    "per seed into its own --out folder\n", who);
  else
    fprintf(stderr, "loket: error: %s replications: every point of a sweep has "
                    "the same replications; give --replications R instead\n", who);
  return true;
}

/* The variants and the axes: from --variant and --vary, or, when neither
 * is given, from the scenario's sweep: block. */
static bool make_axes(const struct options *o, const struct model *base,
                      struct sweep_plan *p)
{
  if (o->nvaries == 0 && o->nvariants == 0) {
    if (base->naxes == 0 && base->nvariants == 0) {
      fprintf(stderr, "loket: error: nothing to vary: give --vary PATH=V1,V2,..., "
                      "--variant NAME:PATH=VALUE,... or a sweep: block in the "
                      "scenario\n");
      return false;
    }
    p->naxes = base->naxes;
    p->axes = sim_xcalloc(p->naxes ? p->naxes : 1, sizeof *p->axes);
    for (size_t a = 0; a < p->naxes; a++) {
      p->axes[a].path = sim_xstrdup(base->axes[a].path);
      p->axes[a].nvalues = base->axes[a].nvalues;
      p->axes[a].values = sim_xcalloc(p->axes[a].nvalues, sizeof(char *));
      for (size_t v = 0; v < p->axes[a].nvalues; v++)
        p->axes[a].values[v] = sim_xstrdup(base->axes[a].values[v]);
    }
    p->nvariants = base->nvariants;
    p->variants = sim_xcalloc(p->nvariants ? p->nvariants : 1, sizeof *p->variants);
    for (size_t i = 0; i < p->nvariants; i++) {
      const struct model_variant *from = &base->variants[i];
      struct model_variant *v = &p->variants[i];
      v->name = sim_xstrdup(from->name);
      v->nsets = from->nsets;
      v->sets = sim_xcalloc(v->nsets, sizeof *v->sets);
      for (size_t k = 0; k < v->nsets; k++)
        v->sets[k] = sim_xstrdup(from->sets[k]);
    }
  } else {
    p->axes = sim_xcalloc(o->nvaries ? o->nvaries : 1, sizeof *p->axes);
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
    p->variants = sim_xcalloc(o->nvariants ? o->nvariants : 1, sizeof *p->variants);
    for (size_t i = 0; i < o->nvariants; i++) {
      char err[256];
      if (model_variant_parse(&p->variants[p->nvariants++], o->variants[i], err,
                              sizeof err) != 0) {
        fprintf(stderr, "loket: error: --variant %s: %s\n", o->variants[i], err);
        return false;
      }
    }
  }
  for (size_t i = 0; i < p->nvariants; i++)
    for (size_t k = 0; k < i; k++)
      if (!strcmp(p->variants[i].name, p->variants[k].name)) {
        fprintf(stderr, "loket: error: the variant '%s' is given twice\n",
                p->variants[i].name);
        return false;
      }
  for (size_t a = 0; a < p->naxes; a++)
    if (p->nvariants && !strcmp(p->axes[a].path, SWEEP_VARIANT_AXIS)) {
      fprintf(stderr, "loket: error: --vary %s: '%s' names the variants' column; "
                      "it is not a scenario key\n", p->axes[a].path, SWEEP_VARIANT_AXIS);
      return false;
    }
  for (size_t i = 0; i < p->nvariants; i++)
    for (size_t k = 0; k < p->variants[i].nsets; k++) {
      char who[96];
      snprintf(who, sizeof who, "--variant %.64s:", p->variants[i].name);
      if (refused_axis(who, p->variants[i].sets[k]))
        return false;
    }
  sweep_plan_add_variant_axis(p);
  for (size_t a = 0; a < p->naxes; a++) {
    if (refused_axis("--vary", p->axes[a].path))
      return false;
    for (size_t b = 0; b < a; b++)
      if (!strcmp(p->axes[a].path, p->axes[b].path)) {
        fprintf(stderr, "loket: error: --vary %s is given twice; give all its values "
                        "at once (--vary %s=V1,V2,...)\n", p->axes[a].path,
                p->axes[a].path);
        return false;
      }
  }
  return true;
}

/* Every point is a scenario of its own, validated before anything runs:
 * a bad value is reported with the point it belongs to. The plan pins the
 * hash of all of them. */
static struct model **load_points(const struct options *o, struct model_scenario *scenario,
                                  struct sweep_plan *p)
{
  struct model **models = sim_xcalloc(p->npoints, sizeof *models);
  size_t most = 0;  /* overrides of the largest variant */
  for (size_t v = 0; v < p->nvariants; v++)
    most = p->variants[v].nsets > most ? p->variants[v].nsets : most;
  const char **sets = sim_xcalloc(o->nsets + p->naxes + most, sizeof *sets);
  char err[MODEL_ERROR_MAX];
  for (size_t i = 0; i < o->nsets; i++)
    sets[i] = o->sets[i];
  uint64_t h = MODEL_HASH_START;
  bool ok = true;
  for (size_t point = 0; ok && point < p->npoints; point++) {
    char **assign = sim_xcalloc(p->naxes, sizeof *assign);
    size_t n = o->nsets;
    const struct model_variant *variant = NULL;
    for (size_t a = 0; a < p->naxes; a++) {
      size_t value = sweep_plan_value(p, point, a);
      if (a == 0 && p->nvariants) {
        /* The variant's overrides come first: a varied value is applied
         * after them (it may refine a variant's schedule, say). */
        variant = &p->variants[value];
        for (size_t k = 0; k < variant->nsets; k++)
          sets[n++] = variant->sets[k];
        continue;
      }
      const char *v = p->axes[a].values[value];
      size_t len = strlen(p->axes[a].path) + strlen(v) + 2;
      assign[a] = sim_xmalloc(len);
      snprintf(assign[a], len, "%s=%s", p->axes[a].path, v);
      sets[n++] = assign[a];
    }
    models[point] = model_scenario_build(scenario, sets, n, err, sizeof err);
    if (!models[point]) {
      if (variant)
        fprintf(stderr, "loket: in variant '%s' of the sweep:\n", variant->name);
      fprintf(stderr, "%s\n", err);
      ok = false;
    } else {
      uint64_t mh = model_hash(models[point]);
      h = model_hash_bytes(h, &mh, sizeof mh);
    }
    for (size_t a = 0; a < p->naxes; a++)
      free(assign[a]);
    free(assign);
  }
  free(sets);
  p->model_hash = h;
  if (!ok) {
    for (size_t i = 0; i < p->npoints; i++)
      model_free(models[i]);
    free(models);
    return NULL;
  }
  return models;
}

/* The plan: written once, and the same for every shard after that. The
 * folder is locked while the plan is checked and written, so two sweeps
 * started at once agree on one. */
static int pin_plan(const char *dir, const struct sweep_plan *p)
{
  char err[8192];
  int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0 || flock(dfd, LOCK_EX) != 0) {
    fprintf(stderr, "loket: error: cannot lock the folder '%s': %s\n", dir,
            strerror(errno));
    if (dfd >= 0)
      close(dfd);
    return LOKET_EXIT_FAILURE;
  }
  int rc = LOKET_EXIT_OK;
  struct sweep_plan existing;
  if (sweep_plan_read(&existing, dir, err, sizeof err) == 0) {
    if (!sweep_plan_same(&existing, p, dir, err, sizeof err)) {
      fprintf(stderr, "loket: error: %s\n", err);
      rc = LOKET_EXIT_USAGE;
    }
    sweep_plan_fini(&existing);
  } else if (errno != ENOENT) {
    fprintf(stderr, "loket: error: %s\n", err);
    rc = LOKET_EXIT_USAGE;
  } else if (sweep_plan_write(p, dir, err, sizeof err) != 0) {
    fprintf(stderr, "loket: error: %s\n", err);
    rc = LOKET_EXIT_FAILURE;
  }
  close(dfd);
  return rc;
}

static int sweep(const struct options *o, const struct sweep_ranks *ranks,
                 char **merge_dir);

int cli_sweep(const struct options *o)
{
  struct sweep_ranks ranks;
  char *merge_dir = NULL;
  int rc = sweep_ranks_start(&ranks, o);
  if (rc == 0)
    rc = sweep(o, &ranks, &merge_dir);
  rc = sweep_ranks_agree(&ranks, rc);
  /* Rank 0 (or the only process) joins the journals once all are done. */
  if (rc == LOKET_EXIT_OK && merge_dir && ranks.rank == 0) {
    rc = cli_merge(merge_dir);
    if (rc == LOKET_EXIT_OK && !o->quiet)
      printf("results in %s/sweep.csv\n", merge_dir);
  }
  free(merge_dir);
  sweep_ranks_stop(&ranks);
  return rc;
}

/* Runs this process's tasks; sets *merge_dir when the journals are to be
 * merged (not for a --shard). */
static int sweep(const struct options *o, const struct sweep_ranks *ranks,
                 char **merge_dir)
{
  char err[8192];
  /* Read and parsed once; every point is built from it. */
  struct model_scenario *scenario = model_scenario_open(o->scenario, err, sizeof err);
  struct model *base = scenario ? model_scenario_build(scenario, o->sets, o->nsets, err,
                                                       sizeof err)
                                : NULL;
  if (!base) {
    fprintf(stderr, "%s\n", err);
    model_scenario_close(scenario);
    return LOKET_EXIT_USAGE;
  }
  struct sweep_plan p = {0};
  int rc = LOKET_EXIT_USAGE;
  struct model **models = NULL;
  char *dir = NULL, *path = NULL;
  if (!make_axes(o, base, &p))
    goto done;
  p.replications = o->have_replications ? o->replications : base->replications;
  p.seed = o->have_seed ? o->seed : base->seed;
  if (sweep_plan_count(&p, err, sizeof err) != 0) {
    fprintf(stderr, "loket: error: %s\n", err);
    goto done;
  }
  /* The hash of the text every point was built from. */
  size_t len;
  const char *text = model_scenario_text(scenario, &len);
  p.scenario_hash = model_hash_bytes(MODEL_HASH_START, text, len);
  p.sets = sim_xcalloc(o->nsets ? o->nsets : 1, sizeof *p.sets);
  for (size_t i = 0; i < o->nsets; i++)
    p.sets[p.nsets++] = sim_xstrdup(o->sets[i]);
  if (!(models = load_points(o, scenario, &p)))
    goto done;

  dir = cli_output_folder(o->out, base->name, "-sweep");
  rc = LOKET_EXIT_FAILURE;
  if (sim_mkdir_p(dir) != 0) {
    fprintf(stderr, "loket: error: cannot create output folder '%s': %s\n", dir,
            strerror(errno));
    goto done;
  }
  if ((rc = pin_plan(dir, &p)) != LOKET_EXIT_OK)
    goto done;
  rc = LOKET_EXIT_FAILURE;

  /* This shard's journal: what is in it is done. */
  size_t shard = o->shard_index, shards = o->shard_count ? o->shard_count : 1;
  if (ranks->size > 1) {
    shard = ranks->rank;
    shards = ranks->size;
  }
  size_t T = p.npoints * p.replications;
  uint64_t plan_id;
  if (sweep_plan_identity(dir, &plan_id, err, sizeof err) != 0) {
    fprintf(stderr, "loket: error: %s\n", err);
    goto done;
  }
  struct sweep_done done;
  sweep_done_init(&done, T, plan_id);
  struct sweep_journal journal;
  path = sweep_journal_path(dir, shard, shards);
  int opened = sweep_journal_open(&journal, path, &done, err, sizeof err);
  /* What other journals in the folder hold is done too: a sweep resumed
   * with another number of shards or ranks, or run plain after its
   * shards, skips it rather than running it again. */
  size_t others = 0;
  if (opened == 0 &&
      sweep_journals_read(dir, strrchr(path, '/') + 1, &done, &others, err,
                          sizeof err) != 0) {
    char cerr[256];
    sweep_journal_close(&journal, cerr, sizeof cerr);
    opened = -1;
  }
  if (opened != 0) {
    fprintf(stderr, "loket: error: %s\n", err);
    sweep_done_fini(&done);
    rc = LOKET_EXIT_FAILURE;
    goto done;
  }
  /* about.csv, for `loket plot` (every shard writes the same), once this
   * run holds its journal: a run refused for a running one writes nothing. */
  struct sim_csv about;
  if (sim_csv_open(&about, dir, "about.csv") == 0) {
    report_about_rows(&about, base, p.replications);
    sim_csv_commit(&about);
  }
  if (about.failed) {
    fprintf(stderr, "loket: error: %s\n", about.error);
    sim_csv_abort(&about);
    char cerr[256];
    sweep_journal_close(&journal, cerr, sizeof cerr);
    sweep_done_fini(&done);
    goto done;
  }
  sim_csv_abort(&about);

  size_t *todo = sim_xcalloc(T, sizeof *todo), ntodo = 0, skipped = 0;
  for (size_t t = shard; t < T; t += shards) {
    if (done.done[t])
      skipped++;
    else
      todo[ntodo++] = t;
  }
  sweep_done_fini(&done);
  if (skipped && o->progress != 0)
    fprintf(stderr, "loket: %zu task%s of this %s already done in '%s', skipped\n",
            skipped, skipped == 1 ? "" : "s", shards > 1 ? "shard" : "sweep", dir);

  struct sweep_ctx ctx = {.plan = &p, .models = models, .todo = todo,
                          .journal = &journal};
  pthread_mutex_init(&ctx.lock, NULL);
  struct sim_progress progress;
  sim_progress_init(&progress, "tasks", o->progress);
  int *status = sim_xcalloc(ntodo ? ntodo : 1, sizeof *status);
  struct sim_runner runner = {
    .ntasks = ntodo, .jobs = o->jobs, .fn = run_task, .ctx = &ctx,
    .results = status, .result_size = sizeof *status,
    /* Silent progress needs no wake-up per task (sim/runner.h). */
    .progress = progress.out ? sim_progress_update : NULL, .progress_ctx = &progress,
  };
  int run_status = sim_runner_run(&runner);
  sim_progress_fini(&progress);
  pthread_mutex_destroy(&ctx.lock);
  size_t failed_task = 0;
  for (size_t i = 0; i < ntodo; i++)
    if (status[i] != 0) {
      failed_task = todo[i];
      break;
    }
  free(status);
  free(todo);
  int closed = sweep_journal_close(&journal, err, sizeof err);
  if (ctx.write_errno || closed != 0) {
    if (ctx.write_errno)
      snprintf(err, sizeof err, "cannot write '%s': %s", path, strerror(ctx.write_errno));
    fprintf(stderr, "loket: error: %s\n", err);
    goto done;
  }
  if (run_status != 0) {
    fprintf(stderr, "loket: error: task %zu (point %zu, replication %zu) failed with "
                    "status %d; the tasks done so far are kept in '%s'\n",
            failed_task, failed_task / p.replications + 1,
            failed_task % p.replications + 1, run_status, path);
    goto done;
  }
  rc = LOKET_EXIT_OK;
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
  free(dir);
  free(path);
  sweep_plan_fini(&p);
  model_free(base);
  model_scenario_close(scenario);
  return rc;
}
