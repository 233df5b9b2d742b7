/* sync_file_range (sim_csv_write_back), on Linux */
#define _GNU_SOURCE

#include "sim/csv.h"

/* stdio's buffer for a file being written: 256 KB where glibc takes 4 KB.
 * A trace of 10^6 customers is 73 MB, and in 4 KB writes the system calls
 * alone cost a quarter of a traced run; 64 KB and 1 MB were slower. */
#define SIM_CSV_BUFFER ((size_t)1 << 18)

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/check.h"

static void fail(struct sim_csv *csv, const char *what, const char *path)
{
  if (csv->failed)
    return;
  csv->failed = 1;
  snprintf(csv->error, sizeof csv->error, "cannot %s '%s': %s", what, path,
           strerror(errno));
}

static char *join(const char *dir, const char *prefix, const char *name,
                  const char *suffix)
{
  size_t n = strlen(dir) + strlen(prefix) + strlen(name) + strlen(suffix) + 2;
  char *p = sim_xmalloc(n);
  snprintf(p, n, "%s/%s%s%s", dir, prefix, name, suffix);
  return p;
}

FILE *sim_file_create(const char *path)
{
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0)
    return NULL;
  FILE *f = fdopen(fd, "w");
  if (!f) {
    int saved = errno;
    close(fd);
    unlink(path);
    errno = saved;
  }
  return f;
}

FILE *sim_file_create_unique(const char *base, char **path)
{
  size_t len = strlen(base) + 8;
  char *name = sim_xmalloc(len);
  for (int attempt = 0; attempt < 100; attempt++) {
    if (attempt == 0)
      snprintf(name, len, "%s", base);
    else
      snprintf(name, len, "%s.%d", base, attempt);
    FILE *f = sim_file_create(name);
    if (f) {
      *path = name;
      return f;
    }
    if (errno != EEXIST)
      break;
  }
  int saved = errno;
  free(name);
  *path = NULL;
  errno = saved;
  return NULL;
}

char *sim_file_read_all(const char *path, size_t max_bytes, bool regular_only,
                        size_t *len, int *error)
{
  /* O_NONBLOCK: opening a FIFO must not hang before it is refused. */
  int fd = open(path, O_RDONLY | O_CLOEXEC | (regular_only ? O_NONBLOCK : 0));
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    *error = errno;
    if (fd >= 0)
      close(fd);
    return NULL;
  }
  if (regular_only && !S_ISREG(st.st_mode)) {
    *error = EINVAL;
    close(fd);
    return NULL;
  }
  if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > max_bytes) {
    *error = EFBIG;
    close(fd);
    return NULL;
  }
  size_t cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 4096, n = 0;
  char *text = sim_xmalloc(cap);
  for (;;) {
    ssize_t got = read(fd, text + n, cap - 1 - n);
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0) {
      *error = errno;
      close(fd);
      free(text);
      return NULL;
    }
    if (got == 0)
      break;
    n += (size_t)got;
    if (n > max_bytes) {
      *error = EFBIG;
      close(fd);
      free(text);
      return NULL;
    }
    if (n == cap - 1)
      text = sim_xrealloc(text, cap *= 2, 1);
  }
  close(fd);
  text[n] = '\0';
  *len = n;
  return text;
}

FILE *sim_file_open_read(const char *path)
{
  /* O_NONBLOCK: opening a FIFO must not hang before it is refused (for a
   * regular file the flag changes nothing). */
  int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0)
    return NULL;
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    bool dir = S_ISDIR(st.st_mode);
    close(fd);
    errno = dir ? EISDIR : EPERM;
    return NULL;
  }
  FILE *f = fdopen(fd, "r");
  if (!f)
    close(fd);
  return f;
}

int sim_file_open_rw(const char *path)
{
  int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0)
    return -1;
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1) {
    close(fd);
    errno = EPERM;
    return -1;
  }
  return fd;
}

int sim_csv_open(struct sim_csv *csv, const char *dir, const char *name)
{
  memset(csv, 0, sizeof *csv);
  char suffix[32];
  snprintf(suffix, sizeof suffix, ".tmp.%ld", (long)getpid());
  csv->path = join(dir, "", name, "");
  char *base = join(dir, ".", name, suffix);
  csv->file = sim_file_create_unique(base, &csv->tmp_path);
  if (!csv->file) {
    /* Name the first attempt: the tmp_path stays empty so abort removes
     * nothing that loket did not create. */
    fail(csv, "create", base);
    free(base);
    return -1;
  }
  free(base);
  csv->buffer = sim_xmalloc(SIM_CSV_BUFFER);
  setvbuf(csv->file, csv->buffer, _IOFBF, SIM_CSV_BUFFER);
  return 0;
}

/* A writer's file is written by one thread at a time (threads write
 * pieces of their own, see sim/csv.h), so characters go in without
 * stdio's lock: once threads exist, glibc takes it for every putc and
 * fputs, which was a tenth of the time of merging a sweep of tiny tasks. */
static void put_text(FILE *f, const char *s, size_t n)
{
  for (size_t i = 0; i < n; i++)
    putc_unlocked(s[i], f);
}

static void separator(struct sim_csv *csv)
{
  if (csv->column++ > 0)
    putc_unlocked(',', csv->file);
}

void sim_csv_str(struct sim_csv *csv, const char *s)
{
  if (!csv->file)
    return;
  separator(csv);
  if (strpbrk(s, ",\"\r\n") == NULL) {
    put_text(csv->file, s, strlen(s));
    return;
  }
  putc_unlocked('"', csv->file);
  for (; *s; s++) {
    if (*s == '"')
      putc_unlocked('"', csv->file);
    putc_unlocked(*s, csv->file);
  }
  putc_unlocked('"', csv->file);
}

void sim_csv_num(struct sim_csv *csv, double x)
{
  if (!csv->file)
    return;
  char buf[32];
  char *end = sim_csv_put_num(buf, x);
  separator(csv);
  put_text(csv->file, buf, (size_t)(end - buf));
}

void sim_csv_int(struct sim_csv *csv, int64_t x)
{
  if (!csv->file)
    return;
  char buf[24], *p = buf;
  if (x < 0)
    *p++ = '-';
  p = sim_csv_put_uint(p, x < 0 ? 0 - (uint64_t)x : (uint64_t)x);
  separator(csv);
  put_text(csv->file, buf, (size_t)(p - buf));
}

void sim_csv_end_row(struct sim_csv *csv)
{
  if (!csv->file)
    return;
  /* RFC 4180 asks for CRLF; plain LF is what every plotting tool and
   * spreadsheet reads and what diff shows cleanly, so loket writes LF. */
  putc_unlocked('\n', csv->file);
  csv->column = 0;
}

void sim_csv_header(struct sim_csv *csv, const char *const *names)
{
  for (; *names; names++)
    sim_csv_str(csv, *names);
  sim_csv_end_row(csv);
}

/* Flushes (and, for a file about to be renamed into place, syncs) and
 * closes the temporary file; write errors surface here. 0 or -1. */
static int close_file(struct sim_csv *csv, bool sync)
{
  if (!csv->file)
    return -1;
  FILE *f = csv->file;
  csv->file = NULL;
  if (ferror(f) || fflush(f) != 0)
    fail(csv, "write", csv->tmp_path);
  if (sync && !csv->failed && fsync(fileno(f)) != 0)
    fail(csv, "sync", csv->tmp_path);
  if (fclose(f) != 0)
    fail(csv, "close", csv->tmp_path);
  free(csv->buffer);
  csv->buffer = NULL;
  return csv->failed ? -1 : 0;
}

void sim_csv_write_back(struct sim_csv *csv)
{
#ifdef __linux__
  /* A failed flush is noted now, with its errno (at close only the
   * stream's error flag would be left, and errno whatever came since);
   * the hint's own failure loses nothing (the sync at commit reports
   * what matters). */
  if (!csv->file || csv->failed)
    return;
  if (fflush(csv->file) != 0)
    fail(csv, "write", csv->tmp_path);
  else
    (void)sync_file_range(fileno(csv->file), 0, 0, SYNC_FILE_RANGE_WRITE);
#else
  (void)csv;
#endif
}

int sim_csv_commit_all(struct sim_csv *const *files, size_t n,
                       const struct sim_csv **failed)
{
  /* All closed first: a file's last buffer is written only as it closes,
   * and a disk that fills then must stop the commit before any rename. */
  size_t i = 0, renamed = 0;
  for (; i < n; i++) {
    struct sim_csv *f = files[i];
    if (!f->file && !f->failed) {   /* an open that failed has its error */
      f->failed = 1;
      snprintf(f->error, sizeof f->error, "'%s' was already closed",
               f->path ? f->path : "a file");
    }
    if (close_file(f, true) != 0)   /* -1 for a file not open */
      goto fail;
  }
  /* A folder at a final name is the one thing in the way that fails a
   * rename after others succeeded: looked for first, so that such a
   * commit leaves the old files as they were rather than half replaced. */
  for (i = 0; i < n; i++) {
    struct stat st;
    if (lstat(files[i]->path, &st) == 0 && S_ISDIR(st.st_mode)) {
      errno = EISDIR;
      fail(files[i], "replace", files[i]->path);
      goto fail;
    }
  }
  for (i = 0; i < n; i++, renamed++)
    if (rename(files[i]->tmp_path, files[i]->path) != 0) {
      fail(files[i], "rename to final name", files[i]->tmp_path);
      goto fail;
    }
  for (i = 0; i < n; i++) {
    free(files[i]->tmp_path);
    free(files[i]->path);
    files[i]->tmp_path = files[i]->path = NULL;
  }
  return 0;
fail:
  if (failed)
    *failed = files[i];
  for (size_t j = renamed; j < n; j++)
    sim_csv_abort(files[j]);
  return -1;
}

int sim_csv_commit(struct sim_csv *csv)
{
  return sim_csv_commit_all(&csv, 1, NULL);
}

int sim_csv_close_piece(struct sim_csv *csv)
{
  /* A piece is read back by this process; it needs no sync. */
  return close_file(csv, false);
}

int sim_csv_append_piece(struct sim_csv *into, struct sim_csv *piece)
{
  if (!into->file)
    return -1;  /* into->error says why */
  if (piece->failed || !piece->tmp_path) {
    /* The piece's own error, so the caller has one message to print. */
    if (!into->failed) {
      into->failed = 1;
      snprintf(into->error, sizeof into->error, "%s",
               piece->failed ? piece->error : "a piece was never written");
    }
    return -1;
  }
  FILE *in = sim_file_open_read(piece->tmp_path);
  if (!in) {
    fail(into, "read", piece->tmp_path);
    return -1;
  }
  char buf[1 << 16];
  size_t got;
  while ((got = fread(buf, 1, sizeof buf, in)) > 0)
    if (fwrite(buf, 1, got, into->file) != got)
      break;
  if (ferror(in))
    fail(into, "read", piece->tmp_path);
  fclose(in);
  sim_csv_abort(piece);
  return into->failed || ferror(into->file) ? -1 : 0;
}

void sim_csv_abort(struct sim_csv *csv)
{
  if (csv->file) {
    fclose(csv->file);
    csv->file = NULL;
  }
  free(csv->buffer);
  csv->buffer = NULL;
  if (csv->tmp_path)
    unlink(csv->tmp_path);
  free(csv->tmp_path);
  free(csv->path);
  csv->tmp_path = csv->path = NULL;
}

int sim_mkdir_p(const char *dir)
{
  if (!*dir) {
    errno = ENOENT;  /* as mkdir("") */
    return -1;
  }
  char *p = sim_xstrdup(dir);
  int rc = 0;
  for (char *s = p + 1; ; s++) {
    if (*s == '/' || *s == '\0') {
      char c = *s;
      *s = '\0';
      if (mkdir(p, 0777) != 0 && errno != EEXIST) {
        rc = -1;
        break;
      }
      *s = c;
      if (c == '\0')
        break;
    }
  }
  if (rc == 0) {
    struct stat st;
    if (stat(p, &st) != 0)
      rc = -1;
    else if (!S_ISDIR(st.st_mode)) {
      errno = ENOTDIR;
      rc = -1;
    }
  }
  int saved = errno;
  free(p);
  errno = saved;
  return rc;
}
