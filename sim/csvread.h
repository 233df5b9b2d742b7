/*
 * sim/csvread.h — reading back the CSV files loket wrote, by column name.
 *
 * One reader for every file loket reads back (a run's stats.csv for
 * `loket plot`, a sweep's plan and journals for `loket merge` and resuming).
 * It reads RFC 4180: comma-separated fields, a field in double quotes may
 * hold commas, line breaks and doubled quotes; a line ends in LF or CRLF.
 * The first row is the header, and columns are found by their name, so a
 * column added later, or moved, breaks no reader.
 *
 * Nothing is trusted: a row must have as many fields as the header, a
 * quote must be closed, a field may not hold a NUL byte, a record may not
 * exceed 16 MiB, and the numbers are checked by the sim_csv_reader_num()
 * and _count() helpers. Every problem is reported in `error` as
 * "FILE:LINE: ..." (the line where the record starts), and the reader
 * stops: the caller prints the message and gives up.
 *
 * A file whose last record has no line end is damaged, except for a
 * journal that a kill may have cut in the middle of a row: with
 * `allow_cut` set that record is not returned, `cut` is set, and
 * `complete` is the byte offset after the last whole record.
 */
#ifndef LOKET_SIM_CSVREAD_H
#define LOKET_SIM_CSVREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct sim_csv_reader {
  FILE *file;
  char *path;          /* for messages */
  bool allow_cut;      /* see above; set before the first row */
  bool cut;
  long complete;       /* bytes up to the end of the last whole record */
  size_t line;         /* line where the current record starts */
  size_t pending_lines; /* line breaks inside the current record's quotes */
  char *record;        /* the current record's fields, each NUL-ended */
  size_t len, cap;
  size_t *starts;      /* offset of each field in record */
  size_t nfields, fields_cap;
  char **header;
  size_t ncolumns;
  char error[1024];
};

/* Reads the header of an open file (reading from its current position; the
 * reader takes the file and closes it). 0, or -1 with a message: an empty
 * file, an empty or repeated column name. After -1 the reader holds
 * nothing but r->error and r->cut (the file is closed):
 * sim_csv_reader_fini is not needed, and harmless. */
int sim_csv_reader_init(struct sim_csv_reader *r, FILE *file, const char *path,
                        bool allow_cut);
/* Opens PATH (never through a symbolic link) and reads its header; after
 * -1, as above. */
int sim_csv_reader_open(struct sim_csv_reader *r, const char *path);
void sim_csv_reader_fini(struct sim_csv_reader *r);

/* The next row: 1, 0 at the end, -1 with a message. */
int sim_csv_reader_next(struct sim_csv_reader *r);
/* The column's index, or -1. */
int sim_csv_reader_column(const struct sim_csv_reader *r, const char *name);
/* The same, with a message naming the file when the column is missing. */
int sim_csv_reader_require(struct sim_csv_reader *r, const char *name);
/* The text of a field of the current row. */
const char *sim_csv_reader_field(const struct sim_csv_reader *r, size_t column);

/* A field as a finite number (an empty field is NaN when `empty_ok`).
 * 0, or -1 with "FILE:LINE: column 'NAME': expected a number, got '...'". */
int sim_csv_reader_num(struct sim_csv_reader *r, size_t column, bool empty_ok,
                       double *out);
/* A field as a whole number from min to max. 0 or -1 with a message. */
int sim_csv_reader_count(struct sim_csv_reader *r, size_t column, uint64_t min,
                         uint64_t max, uint64_t *out);
/* Sets the error to "FILE:LINE: " and the text (for checks of the caller's
 * own); returns -1. */
int sim_csv_reader_fail(struct sim_csv_reader *r, const char *fmt, ...)
  __attribute__((format(printf, 2, 3)));

#endif
