#include "cli/sweep_journal.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "cli/sweep_plan.h"
#include "models/metrics.h"
#include "sim/check.h"
#include "sim/csv.h"
#include "sim/csvread.h"

void sweep_done_init(struct sweep_done *d, size_t ntasks, uint64_t plan)
{
  memset(d, 0, sizeof *d);
  d->ntasks = ntasks;
  d->plan = plan;
  d->rows = sim_xcalloc(ntasks * MODEL_SUMMARY_NCOLS, sizeof *d->rows);
  d->done = sim_xcalloc(ntasks, sizeof *d->done);
}

void sweep_done_fini(struct sweep_done *d)
{
  free(d->rows);
  free(d->done);
  memset(d, 0, sizeof *d);
}

char *sweep_journal_path(const char *dir, size_t shard, size_t shards)
{
  size_t len = strlen(dir) + 64;
  char *p = sim_xmalloc(len);
  snprintf(p, len, "%s/tasks-%zu-of-%zu.csv", dir, shard, shards);
  return p;
}

bool sweep_journal_name(const char *name)
{
  /* The whole name, and in the form sweep_journal_path writes: a copy
   * such as tasks-0-of-2.csv.bak is not a journal. */
  size_t i, n;
  int end = -1;
  if (sscanf(name, "tasks-%zu-of-%zu.csv%n", &i, &n, &end) != 2 || end < 0 ||
      name[end] != '\0')
    return false;
  char canonical[64];
  snprintf(canonical, sizeof canonical, "tasks-%zu-of-%zu.csv", i, n);
  return strcmp(canonical, name) == 0;
}

/* The rows of a journal whose header has been read. 0 or -1. */
static int read_rows(struct sim_csv_reader *r, struct sweep_done *d)
{
  int format = sim_csv_reader_require(r, "format");
  int task = format < 0 ? -1 : sim_csv_reader_require(r, "task");
  int plan = task < 0 ? -1 : sim_csv_reader_column(r, "plan");
  if (format < 0 || task < 0) {
    snprintf(r->error + strlen(r->error), sizeof r->error - strlen(r->error),
             " (a journal of another loket version?)");
    return -1;
  }
  int column[MODEL_SUMMARY_NCOLS];
  for (size_t c = 0; c < MODEL_SUMMARY_NCOLS; c++)
    if ((column[c] = sim_csv_reader_require(r, model_summary_columns[c])) < 0)
      return -1;
  int got;
  while ((got = sim_csv_reader_next(r)) == 1) {
    uint64_t f, t;
    if (sim_csv_reader_count(r, (size_t)format, 0, UINT32_MAX, &f) != 0)
      return -1;
    if (f != SWEEP_FORMAT)
      return sim_csv_reader_fail(r, "a row of format %llu; this loket writes format %d",
                                 (unsigned long long)f, SWEEP_FORMAT);
    /* The row's sweep: checked after the format, so that an older
     * journal (no plan column) is named as such. */
    const char *id = plan < 0 ? "" : sim_csv_reader_field(r, (size_t)plan);
    char *end;
    errno = 0;
    unsigned long long of = strtoull(id, &end, 16);
    if (strlen(id) != 16 || *end || errno != 0 || of != d->plan)
      return sim_csv_reader_fail(r, "this row belongs to another sweep (plan '%.16s', "
                                 "this folder's %016llx): a journal copied from another "
                                 "folder, or the plan was replaced; remove it, or run "
                                 "into a new --out folder", id,
                                 (unsigned long long)d->plan);
    if (sim_csv_reader_count(r, (size_t)task, 0, d->ntasks - 1, &t) != 0) {
      snprintf(r->error + strlen(r->error), sizeof r->error - strlen(r->error),
               " (a task that is not part of this sweep)");
      return -1;
    }
    double row[MODEL_SUMMARY_NCOLS];
    for (size_t c = 0; c < MODEL_SUMMARY_NCOLS; c++)
      if (sim_csv_reader_num(r, (size_t)column[c], true, &row[c]) != 0)
        return -1;
    /* A task run twice (by a sweep resumed with other shards or ranks,
     * or by two at once) gives the same row to the bit: only another
     * row is a conflict. */
    double *kept = d->rows + t * MODEL_SUMMARY_NCOLS;
    if (d->done[t] && memcmp(kept, row, sizeof row) != 0)
      return sim_csv_reader_fail(r, "task %llu was read before with other results "
                                 "(here or in another journal of this folder): the "
                                 "journals do not belong to one sweep",
                                 (unsigned long long)t);
    d->done[t] = true;
    memcpy(kept, row, sizeof row);
  }
  return got;
}

/* Reads the journal open as `in` (and closes it) into `d`. Empty, or only
 * half a header, is no task done: another process may have just created
 * it, or a kill cut it short. *complete: the bytes up to the end of its
 * last whole row (0 without a header), where appending goes on. 0, or -1
 * with a message. */
static int read_journal(FILE *in, const char *path, struct sweep_done *d, long *complete,
                        char *err, size_t errlen)
{
  *complete = 0;
  if (fgetc(in) == EOF) {
    fclose(in);
    return 0;
  }
  rewind(in);
  struct sim_csv_reader r;
  int rc = sim_csv_reader_init(&r, in, path, true);
  if (rc != 0 && r.cut)
    rc = 0;
  else if (rc == 0)
    rc = read_rows(&r, d);
  *complete = r.header ? r.complete : 0;
  if (rc != 0)
    snprintf(err, errlen, "%s", r.error);
  sim_csv_reader_fini(&r);
  return rc;
}

int sweep_journal_read(const char *path, struct sweep_done *d, char *err, size_t errlen)
{
  FILE *f = sim_file_open_read(path);
  if (!f) {
    snprintf(err, errlen, "cannot read '%s': %s", path,
             errno == ELOOP ? "it is a symbolic link"
             : errno == EPERM ? "it is not a plain file" : strerror(errno));
    return -1;
  }
  long complete;
  return read_journal(f, path, d, &complete, err, errlen);
}

int sweep_journals_read(const char *dir, const char *skip, struct sweep_done *d,
                        size_t *count, char *err, size_t errlen)
{
  *count = 0;
  DIR *folder = opendir(dir);
  if (!folder) {
    snprintf(err, errlen, "cannot read the folder '%s': %s", dir, strerror(errno));
    return -1;
  }
  int rc = 0;
  struct dirent *e;
  while (rc == 0 && (e = readdir(folder))) {
    if (!sweep_journal_name(e->d_name) || (skip && !strcmp(e->d_name, skip)))
      continue;
    size_t len = strlen(dir) + strlen(e->d_name) + 2;
    char *path = sim_xmalloc(len);
    snprintf(path, len, "%s/%s", dir, e->d_name);
    (*count)++;
    rc = sweep_journal_read(path, d, err, errlen);
    free(path);
  }
  closedir(folder);
  return rc;
}

int sweep_journal_open(struct sweep_journal *j, const char *path, struct sweep_done *d,
                       char *err, size_t errlen)
{
  memset(j, 0, sizeof *j);
  int fd = sim_file_open_rw(path);
  if (fd < 0) {
    snprintf(err, errlen, "cannot open the journal '%s': %s", path,
             errno == ELOOP ? "it is a symbolic link"
             : errno == EPERM ? "it is not a plain file of its own" : strerror(errno));
    return -1;
  }
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int busy = errno == EWOULDBLOCK;
    if (busy)
      snprintf(err, errlen, "another loket sweep is running into '%s' (it holds the "
                            "lock of its journal); wait for it to finish, or sweep "
                            "into another --out folder", path);
    else
      snprintf(err, errlen, "cannot lock '%s': %s", path, strerror(errno));
    close(fd);
    return busy ? 1 : -1;
  }
  /* Read through a second descriptor of the same open file, so that the
   * lock stays with fd when the reader closes its own. */
  int rd = dup(fd);
  FILE *in = rd >= 0 ? fdopen(rd, "r") : NULL;
  if (!in) {
    snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
    if (rd >= 0)
      close(rd);
    close(fd);
    return -1;
  }
  long complete;
  int rc = read_journal(in, path, d, &complete, err, errlen);
  FILE *out = NULL;
  if (rc == 0) {
    /* Cut away a row a kill left half-written, then append. */
    if (ftruncate(fd, complete) != 0 || lseek(fd, complete, SEEK_SET) < 0 ||
        !(out = fdopen(fd, "w"))) {
      snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
      rc = -1;
    }
  }
  if (rc != 0) {
    close(fd);
    return -1;
  }
  j->file = out;
  j->path = sim_xstrdup(path);
  j->plan = d->plan;
  if (complete == 0) {
    fputs("format,task,plan", out);
    for (size_t c = 0; c < MODEL_SUMMARY_NCOLS; c++)
      fprintf(out, ",%s", model_summary_columns[c]);
    fputc('\n', out);
  }
  return fflush(out) == 0 ? 0 : -1;
}

int sweep_journal_append(struct sweep_journal *j, size_t task, const double *summary)
{
  /* Full precision ("%.17g", without printf), so that merged results
   * print exactly as the serial run's. */
  char row[32 * (MODEL_SUMMARY_NCOLS + 3)], *p = row;   /* format, task, plan */
  p = sim_csv_put_uint(p, SWEEP_FORMAT);
  *p++ = ',';
  p = sim_csv_put_uint(p, task);
  p += snprintf(p, 19, ",%016llx", (unsigned long long)j->plan);
  for (size_t c = 0; c < MODEL_SUMMARY_NCOLS; c++) {
    *p++ = ',';
    p = sim_csv_put_exact(p, summary[c]);   /* nothing for NaN */
  }
  *p++ = '\n';
  fwrite(row, 1, (size_t)(p - row), j->file);
  return fflush(j->file) == 0 ? 0 : -1;
}

int sweep_journal_close(struct sweep_journal *j, char *err, size_t errlen)
{
  int rc = 0;
  if (j->file && (ferror(j->file) | fclose(j->file))) {
    snprintf(err, errlen, "cannot write '%s': %s", j->path, strerror(errno));
    rc = -1;
  }
  free(j->path);
  memset(j, 0, sizeof *j);
  return rc;
}
