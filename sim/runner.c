#include "sim/runner.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "sim/check.h"

struct shared {
  const struct sim_runner *runner;
  pthread_mutex_t lock;
  pthread_cond_t finished;
  size_t next;      /* next task to hand out */
  size_t done;      /* tasks finished */
  size_t failed_task;
  int status;
};

static void *worker(void *arg)
{
  struct shared *sh = arg;
  const struct sim_runner *r = sh->runner;
  for (;;) {
    pthread_mutex_lock(&sh->lock);
    if (sh->status != 0 || sh->next >= r->ntasks) {
      pthread_mutex_unlock(&sh->lock);
      return NULL;
    }
    size_t task = sh->next++;
    pthread_mutex_unlock(&sh->lock);

    int status = r->fn(r->ctx, task, (char *)r->results + task * r->result_size);

    pthread_mutex_lock(&sh->lock);
    sh->done++;
    if (status != 0 && (sh->status == 0 || task < sh->failed_task)) {
      sh->status = status;
      sh->failed_task = task;
    }
    /* The calling thread waits for every finished task only to report
     * progress; without a progress callback it is woken for the last
     * task and on a failure alone (a wake-up per task costs a context
     * switch, several microseconds, when tasks are small). */
    if (r->progress || sh->done == r->ntasks || sh->status != 0)
      pthread_cond_signal(&sh->finished);
    pthread_mutex_unlock(&sh->lock);
  }
}

unsigned sim_runner_processors(void)
{
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (unsigned)n : 1u;
}

int sim_runner_run(const struct sim_runner *r)
{
  unsigned jobs = r->jobs ? r->jobs : sim_runner_processors();
  if (jobs > r->ntasks)
    jobs = r->ntasks ? (unsigned)r->ntasks : 1u;

  struct shared sh = {.runner = r, .next = 0, .done = 0, .status = 0};
  pthread_mutex_init(&sh.lock, NULL);
  pthread_cond_init(&sh.finished, NULL);

  pthread_t *threads = sim_xcalloc(jobs, sizeof *threads);
  unsigned started = 0;
  for (; started < jobs; started++)
    if (pthread_create(&threads[started], NULL, worker, &sh) != 0)
      break;
  if (started == 0) /* no threads at all: work on this one */
    worker(&sh);

  pthread_mutex_lock(&sh.lock);
  size_t reported = 0;
  while (sh.done < r->ntasks && !(sh.status != 0 && sh.done == sh.next)) {
    if (started > 0)
      pthread_cond_wait(&sh.finished, &sh.lock);
    if (r->progress && sh.done != reported) {
      reported = sh.done;
      pthread_mutex_unlock(&sh.lock);
      r->progress(r->progress_ctx, reported, r->ntasks);
      pthread_mutex_lock(&sh.lock);
    }
  }
  pthread_mutex_unlock(&sh.lock);

  for (unsigned i = 0; i < started; i++)
    pthread_join(threads[i], NULL);
  free(threads);
  if (r->progress && sh.done != reported)
    r->progress(r->progress_ctx, sh.done, r->ntasks);
  pthread_mutex_destroy(&sh.lock);
  pthread_cond_destroy(&sh.finished);
  return sh.status;
}
