#include "cli/gnuplot.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/check.h"
#include "sim/csv.h"

void gp_vars_init(struct gp_vars *v)
{
  v->cap = 256;
  v->len = 0;
  v->text = sim_xmalloc(v->cap);
  v->text[0] = '\0';
}

void gp_vars_fini(struct gp_vars *v)
{
  free(v->text);
  v->text = NULL;
  v->len = v->cap = 0;
}

static void put(struct gp_vars *v, const char *s, size_t n)
{
  if (v->len + n + 1 > v->cap) {
    while (v->len + n + 1 > v->cap)
      v->cap *= 2;
    v->text = sim_xrealloc(v->text, v->cap, 1);
  }
  memcpy(v->text + v->len, s, n);
  v->len += n;
  v->text[v->len] = '\0';
}

static void puts_(struct gp_vars *v, const char *s)
{
  put(v, s, strlen(s));
}

void gp_vars_add(struct gp_vars *v, const struct gp_vars *from)
{
  put(v, from->text, from->len);
}

/* A constant gnuplot cannot run: '...' segments (gnuplot expands neither
 * `...` nor @macros inside single quotes; '' is a quote), and each control
 * character as a double-quoted octal escape, which holds nothing else. */
static void constant(struct gp_vars *v, const char *s)
{
  bool open = false;
  put(v, "''", 2);  /* so that an empty string, or one of escapes only, is a string */
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p < 0x20 || *p == 0x7f) {
      if (open)
        put(v, "'", 1);
      open = false;
      char esc[16];
      snprintf(esc, sizeof esc, ".\"\\%03o\"", *p);
      puts_(v, esc);
      continue;
    }
    if (!open)
      put(v, ".'", 2);
    open = true;
    if (*p == '\'')
      put(v, "''", 2);
    else
      put(v, (const char *)p, 1);
  }
  if (open)
    put(v, "'", 1);
}

void gp_string(struct gp_vars *v, const char *name, const char *value)
{
  puts_(v, name);
  puts_(v, " = ");
  constant(v, value);
  puts_(v, "\n");
}

void gp_title(struct gp_vars *v, const char *name, const char *text)
{
  size_t n = 0;
  char *escaped = sim_xmalloc(2 * strlen(text) + 1);
  for (const char *p = text; *p; p++) {
    /* A line break would end the title's {...} groups half-way. */
    if ((unsigned char)*p < 0x20) {
      escaped[n++] = ' ';
      continue;
    }
    if (strchr("_^{}@&~\\", *p))
      escaped[n++] = '\\';
    escaped[n++] = *p;
  }
  escaped[n] = '\0';
  gp_string(v, name, escaped);
  free(escaped);
}

void gp_number(struct gp_vars *v, const char *name, double value)
{
  char buf[64];
  if (isnan(value))
    snprintf(buf, sizeof buf, " = NaN\n");
  else if (isinf(value))
    snprintf(buf, sizeof buf, " = %s1e308\n", value < 0 ? "-" : "");
  else
    snprintf(buf, sizeof buf, " = %.17g\n", value);
  puts_(v, name);
  puts_(v, buf);
}

void gp_data_label(FILE *f, const char *label)
{
  /* gnuplot's data files have no escape for a quote inside a quoted
   * field; a label is only shown, so a look-alike is enough. */
  fputc('"', f);
  for (const unsigned char *p = (const unsigned char *)label; *p; p++)
    fputc(*p == '"' ? '\'' : *p < 0x20 || *p == 0x7f ? ' ' : *p, f);
  fputc('"', f);
}

char *gp_find(void)
{
  const char *path = getenv("PATH");
  if (!path)
    return NULL;
  char *copy = sim_xstrdup(path), *save = NULL;
  for (char *d = strtok_r(copy, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
    size_t len = strlen(d) + 16;
    char *candidate = sim_xmalloc(len);
    snprintf(candidate, len, "%s/gnuplot", *d ? d : ".");
    if (access(candidate, X_OK) == 0) {
      free(copy);
      return candidate;
    }
    free(candidate);
  }
  free(copy);
  return NULL;
}

/* A new string from a format (free it). */
__attribute__((format(printf, 1, 2)))
static char *format(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  sim_assert(n >= 0);
  char *s = sim_xmalloc((size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(s, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return s;
}

static FILE *create(const char *base, char **path, char *err, size_t errlen)
{
  FILE *f = sim_file_create_unique(base, path);
  if (!f)
    snprintf(err, errlen, "cannot create '%s': %s", base, strerror(errno));
  return f;
}

/* ---- the work folder ------------------------------------------------------
 * What gnuplot reads (the variables, the data) and the figure it writes are
 * files of a folder of loket's own, made by mkdtemp (mode 0700) in the
 * system's temporary folder ($TMPDIR, else /tmp), one per process and
 * removed at exit. Not in the output folder: whoever may write there could
 * swap a file between loket closing it and gnuplot opening it by name (a
 * script of their own, or a link that gnuplot's `set output` would follow).
 * In the work folder nobody else can create, replace or rename a file, and
 * the temporary folder's sticky bit keeps others from renaming the work
 * folder itself. The figure is then copied into the output folder like
 * every output: created exclusively under a temporary name, then renamed. */
static char *work;

/* Removes the work folder and what is left in it (a plot that failed). */
static void remove_work(void)
{
  if (!work)
    return;
  DIR *d = opendir(work);
  if (d) {
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
      if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
        unlinkat(dirfd(d), e->d_name, 0);
    closedir(d);
  }
  rmdir(work);
  free(work);
  work = NULL;
}

static const char *work_folder(char *err, size_t errlen)
{
  if (work)
    return work;
  const char *tmp = getenv("TMPDIR");
  if (!tmp || tmp[0] != '/')
    tmp = "/tmp";
  char *name = format("%s/loket-plot.XXXXXX", tmp);
  if (!mkdtemp(name)) {
    snprintf(err, errlen, "cannot create a folder in '%s' for gnuplot's files: %s", tmp,
             strerror(errno));
    free(name);
    return NULL;
  }
  static bool registered;
  if (!registered)
    registered = atexit(remove_work) == 0;
  work = name;
  return work;
}

FILE *gp_data_create(const char *name, char **path, char *err, size_t errlen)
{
  const char *dir = work_folder(err, errlen);
  if (!dir)
    return NULL;
  char *base = format("%s/%s.dat", dir, name);
  FILE *f = create(base, path, err, errlen);
  free(base);
  return f;
}

/* Copies the figure gnuplot wrote (`from`, in the work folder) to a file
 * created exclusively as `to`. */
static bool copy_figure(const char *from, FILE *to, const char *to_path, char *err,
                        size_t errlen)
{
  FILE *in = fopen(from, "rb");
  if (!in) {
    snprintf(err, errlen, "cannot read gnuplot's figure '%s': %s", from, strerror(errno));
    return false;
  }
  char buf[65536];
  size_t n;
  bool ok = true;
  while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0)
    ok = fwrite(buf, 1, n, to) == n;
  if (ferror(in)) {
    snprintf(err, errlen, "cannot read gnuplot's figure '%s': %s", from, strerror(errno));
    fclose(in);
    return false;
  }
  fclose(in);
  if (!ok) {
    snprintf(err, errlen, "cannot write '%s': %s", to_path, strerror(errno));
    return false;
  }
  return true;
}

void gp_drawn_add(struct gp_drawn *d, const char *s, size_t n)
{
  d->files = sim_xrealloc(d->files, d->n + 1, sizeof *d->files);
  char *f = sim_xmalloc(n + 1);
  memcpy(f, s, n);
  f[n] = '\0';
  d->files[d->n++] = f;
}

void gp_drawn_fini(struct gp_drawn *d)
{
  for (size_t i = 0; i < d->n; i++)
    free(d->files[i]);
  free(d->files);
  d->n = 0;
  d->files = NULL;
}

bool gp_draw(const char *gnuplot, const char *scripts, const char *figure,
             const struct gp_vars *vars, const char *outdir, const char *name,
             const char *fmt, struct gp_drawn *drawn, char *err, size_t errlen)
{
  char *out = format("%s/%s.%s", outdir, name, fmt);
  char *tmp_base = format("%s/.%s.%s.tmp.%ld", outdir, name, fmt, (long)getpid());
  char *style = format("%s/style.gp", scripts);
  char *script = format("%s/%s.gp", scripts, figure);
  char *tmp = NULL, *vars_path = NULL, *drawn_path = NULL, *drawn_base = NULL;
  FILE *t = NULL;
  bool ok = false;

  const char *dir = work_folder(err, errlen);
  if (!dir)
    goto done;
  /* gnuplot writes the figure into a file loket created in its own
   * folder (see "the work folder" above). */
  drawn_base = format("%s/%s.%s", dir, name, fmt);
  FILE *g = create(drawn_base, &drawn_path, err, errlen);
  if (!g)
    goto done;
  fclose(g);
  FILE *vf = gp_data_create("vars", &vars_path, err, errlen);
  if (!vf)
    goto done;
  struct gp_vars head;
  gp_vars_init(&head);
  gp_string(&head, "fmt", fmt);
  gp_string(&head, "out", drawn_path);
  fputs(head.text, vf);
  gp_vars_fini(&head);
  fputs(vars->text, vf);
  if (ferror(vf) | fclose(vf)) {
    snprintf(err, errlen, "cannot write '%s': %s", vars_path, strerror(errno));
    goto done;
  }

  pid_t pid = fork();
  if (pid < 0) {
    snprintf(err, errlen, "cannot start gnuplot: %s", strerror(errno));
    goto done;
  }
  if (pid == 0) {
    execl(gnuplot, "gnuplot", vars_path, style, script, (char *)NULL);
    _exit(127);
  }
  int status;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    snprintf(err, errlen, "gnuplot failed on %s (exit status %d); its message is above",
             script, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    goto done;
  }
  /* Never through a planted link: the output folder's file is created
   * exclusively, filled, and renamed onto the figure's name. */
  if (!(t = create(tmp_base, &tmp, err, errlen)) ||
      !copy_figure(drawn_path, t, tmp, err, errlen))
    goto done;
  int closed = fclose(t);
  t = NULL;
  if (closed != 0) {
    snprintf(err, errlen, "cannot write '%s': %s", tmp, strerror(errno));
    goto done;
  }
  if (rename(tmp, out) != 0) {
    snprintf(err, errlen, "cannot write '%s': %s", out, strerror(errno));
    goto done;
  }
  free(tmp);
  tmp = NULL;
  char *file = format("%s.%s", name, fmt);
  gp_drawn_add(drawn, file, strlen(file));
  free(file);
  ok = true;
done:
  if (t)
    fclose(t);
  if (tmp)
    unlink(tmp);
  if (vars_path)
    unlink(vars_path);
  if (drawn_path)
    unlink(drawn_path);
  free(tmp);
  free(vars_path);
  free(drawn_path);
  free(drawn_base);
  free(tmp_base);
  free(out);
  free(style);
  free(script);
  return ok;
}
