/*
 * sim/csv.h — CSV files that are complete or absent.
 *
 * A file is written under a temporary name in its final folder
 * (".NAME.tmp.PID") and only renamed to NAME by sim_csv_commit(), after the
 * data has been flushed and synced. A run that is killed, or fails to write,
 * leaves either the complete old file, the complete new one, or none: never
 * half a file. sim_csv_abort() removes the temporary file.
 *
 * Output follows RFC 4180: one header row, comma separated, fields quoted
 * when they contain a comma, quote or line break, '.' as decimal point
 * (independent of the locale), empty field for a missing number (NaN).
 * Numbers are printed with 10 significant digits, enough to plot and
 * compare while keeping files stable.
 *
 * Errors (cannot create, disk full, cannot rename) are reported through the
 * return status and a message in the writer; the first error sticks and
 * later writes are ignored, so callers can write a whole file and check once.
 */
#ifndef LOKET_SIM_CSV_H
#define LOKET_SIM_CSV_H

#include <stdint.h>
#include <stdio.h>

struct sim_csv {
  FILE *file;
  char *path;      /* final name */
  char *tmp_path;  /* name while being written */
  unsigned column; /* fields written in the current row */
  int failed;
  char error[256];
};

/* Opens DIR/NAME for writing under its temporary name. 0 or -1 (see error). */
int sim_csv_open(struct sim_csv *csv, const char *dir, const char *name);
void sim_csv_str(struct sim_csv *csv, const char *s);
void sim_csv_num(struct sim_csv *csv, double x);
void sim_csv_int(struct sim_csv *csv, int64_t x);
void sim_csv_end_row(struct sim_csv *csv);
/* Writes a header row from a NULL-terminated list of names. */
void sim_csv_header(struct sim_csv *csv, const char *const *names);
/* Flushes, syncs, closes and moves the file into place. 0 or -1. */
int sim_csv_commit(struct sim_csv *csv);
/* Closes and removes the temporary file; safe to call after a commit. */
void sim_csv_abort(struct sim_csv *csv);

/* Pieces written apart and joined later (one per replication, say, so
 * threads never share a file and memory stays bounded): a piece is a
 * sim_csv opened as usual and closed with sim_csv_close_piece, which keeps
 * its temporary file; sim_csv_append_piece copies it into another file and
 * removes it. 0 or -1 (see error). */
int sim_csv_close_piece(struct sim_csv *csv);
int sim_csv_append_piece(struct sim_csv *into, struct sim_csv *piece);

/* Formats x as sim_csv_num would ("" for NaN) into buf (at least 32 bytes). */
void sim_csv_format_num(char *buf, double x);

/* Creates a folder and its parents (like mkdir -p). 0 or -1 with errno. */
int sim_mkdir_p(const char *dir);

#endif
