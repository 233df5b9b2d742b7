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
  int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return NULL;
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    errno = EISDIR;
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

/* ---- numbers -------------------------------------------------------------
 * Numbers are written without printf, whose conversion of doubles was most
 * of a traced run's time and of writing a run's files: whole numbers in
 * full, others as "%.10g" writes them, byte for byte, for the values
 * results hold: the digits come from exact integer
 * arithmetic on the double's bits, rounded to nearest with ties to even as
 * printf rounds, so the output is the same on every run and machine.
 * Values outside the fast range (below 1e-4, at least 1e10, not finite)
 * go to printf (put_printf). */

static const char digit_pairs[201] =
  "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
  "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
  "8081828384858687888990919293949596979899";

static const uint64_t pow10_table[] = {
  1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL,
  100000000ULL, 1000000000ULL, 10000000000ULL, 100000000000ULL,
  1000000000000ULL, 10000000000000ULL, 100000000000000ULL,
  1000000000000000ULL, 10000000000000000ULL, 100000000000000000ULL,
  1000000000000000000ULL, 10000000000000000000ULL};

/* How many decimal digits x has (1 for 0): t = floor(bits log10 2) from
 * the bit length (1233 / 4096 is log10 2 to within 1e-4), then one
 * comparison. x | 1 has as many digits as x and is never 0. */
static int digit_count(uint64_t x)
{
  uint64_t y = x | 1;
  int t = ((64 - __builtin_clzll(y)) * 1233) >> 12;
  return t + 1 - (y < pow10_table[t]);
}

/* The n lowest decimal digits of x < 10^8, ending just before end, two at
 * a time in 32-bit arithmetic. */
static void put_digits32(char *end, uint32_t x, int n)
{
  while (n >= 2) {
    uint32_t pair = x % 100;
    x /= 100;
    end -= 2;
    memcpy(end, digit_pairs + 2 * pair, 2);
    n -= 2;
  }
  if (n)
    *--end = (char)('0' + x % 10);
}

/* Writes the n lowest decimal digits of x so that they end just before
 * end. */
static void put_digits(char *end, uint64_t x, int n)
{
  while (n > 8) {
    put_digits32(end, (uint32_t)(x % 100000000), 8);
    x /= 100000000;
    end -= 8;
    n -= 8;
  }
  put_digits32(end, (uint32_t)(x < 100000000 ? x : x % 100000000), n);
}

/* The five decimal digits of x < 100000, leading zeros included. */
static void put_five(char *p, uint32_t x)
{
  p[0] = (char)('0' + x / 10000);
  uint32_t rest = x % 10000;
  memcpy(p + 1, digit_pairs + 2 * (rest / 100), 2);
  memcpy(p + 3, digit_pairs + 2 * (rest % 100), 2);
}

/* Writes the decimal digits of x at p; returns the end. */
static char *put_uint(char *p, uint64_t x)
{
  int n = digit_count(x);
  put_digits(p + n, x, n);
  return p + n;
}

/* x with `precision` (10 or 17) significant digits as "%.10g" or
 * "%.17g" prints it, for 1e-4 <= x < 1e10 and x not whole. Returns NULL
 * when x lies outside that range after rounding (the caller falls back to
 * printf). With 17 digits the scale reaches 10^20 and the product of the
 * 53-bit mantissa and the scale stays below 2^120. */
static inline char *put_g(char *p, double x, int precision)
{
  uint64_t bits;
  memcpy(&bits, &x, sizeof bits);
  int biased = (int)((bits >> 52) & 0x7ff);
  uint64_t mantissa = (bits & ((1ULL << 52) - 1)) | (1ULL << 52);
  int shift = 1075 - biased;   /* x = mantissa / 2^shift */
  if (biased == 0 || shift <= 0 || shift > 70)
    return NULL;
  /* Decimal exponent k (10^k <= x < 10^(k+1)): floor(e log10 2) for the
   * binary exponent e (78913 / 2^18 is log10 2 to within 1e-7, exact for
   * |e| < 2600), corrected by the exact digit count below. */
  int k = ((biased - 1023) * 78913) >> 18;
  const uint64_t low = pow10_table[precision - 1], high = pow10_table[precision];
  unsigned __int128 scaled = 0;
  uint64_t digits = 0;
  for (int tries = 0; tries < 3; tries++) {
    if (k < -4 || k > 9)
      return NULL;
    int e = precision - 1 - k;   /* scale by 10^e, e <= 20 */
    unsigned __int128 scale = e <= 19 ? (unsigned __int128)pow10_table[e]
                                      : (unsigned __int128)pow10_table[19] * 10;
    scaled = (unsigned __int128)mantissa * scale;
    digits = (uint64_t)(scaled >> shift);
    if (digits >= high)
      k++;
    else if (digits < low)
      k--;
    else
      break;
  }
  if (digits < low || digits >= high)
    return NULL;
  unsigned __int128 rest = scaled & (((unsigned __int128)1 << shift) - 1);
  unsigned __int128 half = (unsigned __int128)1 << (shift - 1);
  if (rest > half || (rest == half && (digits & 1)))
    digits++;
  if (digits == high) {   /* 9.9999999996 -> 10.00000000 */
    digits = low;
    if (++k > 9)
      return NULL;
  }
  /* Fixed notation with precision - 1 - k decimals, trailing zeros
   * dropped: the digits first, then placed around the point. */
  char all[17];
  if (precision == 10) {   /* unrolled, two at a time */
    put_five(all, (uint32_t)(digits / 100000));
    put_five(all + 5, (uint32_t)(digits % 100000));
  } else {
    put_digits(all + precision, digits, precision);
  }
  int n = precision, decimals = precision - 1 - k;
  while (decimals > 0 && all[n - 1] == '0') {
    n--;
    decimals--;
  }
  if (k >= 0) {   /* ddd.ddd: k + 1 digits before the point */
    memcpy(p, all, (size_t)k + 1);
    p += k + 1;
    if (decimals) {
      *p++ = '.';
      memcpy(p, all + k + 1, (size_t)decimals);
      p += decimals;
    }
    return p;
  }
  *p++ = '0';   /* 0.000ddd: -k - 1 zeros after the point */
  *p++ = '.';
  for (int i = 0; i < -k - 1; i++)
    *p++ = '0';
  memcpy(p, all, (size_t)n);
  return p + n;
}

/* printf's text for x: the reference the fast paths must equal. */
static char *put_printf(char *p, double x)
{
  if (isnan(x))
    return p;
  if (isinf(x)) {
    strcpy(p, x > 0 ? "inf" : "-inf");
    return p + strlen(p);
  }
  if (x == 0.0)
    x = 0.0; /* no "-0" */
  /* The C locale is never changed by loket, so '.' is the decimal point.
   * Whole numbers (counts) are printed in full rather than as 1.2e+10. */
  int n = x == floor(x) && fabs(x) < 1e15 ? snprintf(p, 32, "%.0f", x)
                                          : snprintf(p, 32, "%.10g", x);
  return p + n;
}

/* x without printf where that is quick and exact: a whole number below
 * 10^15 in full (-0 as "0" unless `signed_zero`), else one between 10^-4
 * and 10^10 in `digits` significant digits as %.<digits>g writes it; NULL
 * where printf must do it. */
static char *put_quick(char *p, double x, int digits, bool signed_zero)
{
  double magnitude = fabs(x);
  if (magnitude < 1e15 && x == (double)(int64_t)x && !(signed_zero && x == 0 && signbit(x))) {
    if (x < 0)
      *p++ = '-';
    return put_uint(p, (uint64_t)magnitude);
  }
  if (magnitude >= 1e-4 && magnitude < 1e10) {
    if (x < 0)
      *p++ = '-';
    return put_g(p, magnitude, digits);
  }
  return NULL;
}

char *sim_csv_put_num(char *p, double x)
{
  char *q = put_quick(p, x, 10, false);
  return q ? q : put_printf(p, x);
}

char *sim_csv_put_num_printf(char *p, double x)
{
  return put_printf(p, x);
}

char *sim_csv_put_exact(char *p, double x)
{
  char *q = put_quick(p, x, 17, true);
  return q ? q : sim_csv_put_exact_printf(p, x);
}

char *sim_csv_put_exact_printf(char *p, double x)
{
  return isnan(x) ? p : p + snprintf(p, 32, "%.17g", x);
}

char *sim_csv_put_uint(char *p, uint64_t x)
{
  return put_uint(p, x);
}

void sim_csv_format_num(char *buf, double x)
{
  *sim_csv_put_num(buf, x) = '\0';
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
  p = put_uint(p, x < 0 ? 0 - (uint64_t)x : (uint64_t)x);
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

int sim_csv_commit_all(struct sim_csv *const *files, size_t n,
                       const struct sim_csv **failed)
{
  /* All closed first: a file's last buffer is written only as it closes,
   * and a disk that fills then must stop the commit before any rename. */
  size_t i = 0, renamed = 0;
  for (; i < n; i++) {
    if (!files[i]->file && !files[i]->failed) {
      files[i]->failed = 1;
      snprintf(files[i]->error, sizeof files[i]->error,
               "'%s' was already closed", files[i]->path ? files[i]->path : "a file");
    }
    if (!files[i]->file || close_file(files[i], true) != 0)
      goto fail;
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
