/*
 * cli/gnuplot.h — drawing a figure with gnuplot, user text kept as data.
 *
 * A figure is a gnuplot script in plots/ run after plots/style.gp with a
 * few variables set. The variables are written to a small script of their
 * own (never a command-line argument, so their size is not limited), and
 * every string among them is written as a gnuplot string *constant* that
 * gnuplot cannot execute: single-quoted segments ('' for a quote), which
 * gnuplot neither expands backquotes nor macros (@) in, joined with "\n"
 * style escapes for control characters. A scenario, department or sweep
 * value named x`touch /tmp/p` or x'; system("...") is shown as that text.
 *
 * The files gnuplot reads (the variables, a figure's data) and the figure
 * it writes are in a folder of loket's own, made by mkdtemp in the
 * system's temporary folder and removed at exit (cli/gnuplot.c, "the work
 * folder"), never in the output folder, where someone else might swap
 * them before gnuplot opens them. A figure is copied into the output
 * folder through a file created exclusively (never through a planted
 * symbolic link) under a temporary name carrying the process id, so two
 * plots of one folder do not clash, and renamed into place only when
 * gnuplot succeeded.
 */
#ifndef LOKET_CLI_GNUPLOT_H
#define LOKET_CLI_GNUPLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The variables of one figure: a growing gnuplot script. */
struct gp_vars {
  char *text;
  size_t len, cap;
};

void gp_vars_init(struct gp_vars *v);
void gp_vars_fini(struct gp_vars *v);
/* Appends the variables of `from` (shared ones, say). */
void gp_vars_add(struct gp_vars *v, const struct gp_vars *from);
/* name = 'value' as a constant (see above). */
void gp_string(struct gp_vars *v, const char *name, const char *value);
/* The same for text shown in gnuplot's enhanced mode (titles): the
 * characters _ ^ { } @ & ~ are shown as themselves. */
void gp_title(struct gp_vars *v, const char *name, const char *text);
/* name = number (NaN for a missing one). */
void gp_number(struct gp_vars *v, const char *name, double value);

/* Writes a field of a data file: a label between double quotes, with
 * quotes and control characters (which would end a row) replaced. */
void gp_data_label(FILE *f, const char *label);

/* The first executable "gnuplot" on PATH, or NULL. Free it. */
char *gp_find(void);

/* A new data file NAME.dat (or a free variant of that name) in the work
 * folder: the open file, its name in *path (free it; unlink it when done).
 * NULL with a message in err. */
FILE *gp_data_create(const char *name, char **path, char *err, size_t errlen);

/* The figure files one plot command drew (NAME.FMT, in drawing order). */
struct gp_drawn {
  size_t n;
  char **files;
};

/* Adds the first n bytes of s to the list. */
void gp_drawn_add(struct gp_drawn *d, const char *s, size_t n);
void gp_drawn_fini(struct gp_drawn *d);

/* Runs gnuplot on the variables, SCRIPTS/style.gp and SCRIPTS/FIGURE.gp,
 * writing OUTDIR/NAME.FMT, and adds NAME.FMT to *drawn. false with a
 * message in err. */
bool gp_draw(const char *gnuplot, const char *scripts, const char *figure,
             const struct gp_vars *vars, const char *outdir, const char *name,
             const char *fmt, struct gp_drawn *drawn, char *err, size_t errlen);

#endif
