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
#include <stdbool.h>
#include <stdio.h>

struct sim_csv {
  FILE *file;
  char *buffer;    /* the file's stdio buffer, SIM_CSV_BUFFER bytes */
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
/* Has the system start writing what the file holds so far to the disk,
 * without waiting for it (Linux; elsewhere nothing): for a large file,
 * so that the sync at its commit waits only for the part written after
 * the last call, not for the whole file. */
void sim_csv_write_back(struct sim_csv *csv);
/* Flushes, syncs, closes and moves the file into place. 0 or -1. */
int sim_csv_commit(struct sim_csv *csv);
/* The same for n files that belong together: every one is flushed,
 * synced and closed before any is renamed, so a write error (a full disk)
 * leaves none of them in place. 0, or -1 with *failed (when failed is not
 * NULL) the file whose error says why; the temporary files not yet
 * renamed are removed. A folder at any final name is found before the
 * first rename, so it leaves every old file as it was; a rename that
 * fails for another reason (rare: the folder's permissions changed
 * meanwhile) leaves the files renamed before it. */
int sim_csv_commit_all(struct sim_csv *const *files, size_t n,
                       const struct sim_csv **failed);
/* Closes and removes the temporary file; safe to call after a commit. */
void sim_csv_abort(struct sim_csv *csv);

/* Pieces written apart and joined later (one per replication, say, so
 * threads never share a file and memory stays bounded): a piece is a
 * sim_csv opened as usual and closed with sim_csv_close_piece, which keeps
 * its temporary file; sim_csv_append_piece copies it into another file and
 * removes it. 0 or -1 (see into's error, which holds the piece's own error
 * when the piece failed). */
int sim_csv_close_piece(struct sim_csv *csv);
int sim_csv_append_piece(struct sim_csv *into, struct sim_csv *piece);

/* Writes x at p as sim_csv_num writes it (at most 31 characters, no
 * terminating NUL; nothing for NaN) and returns the end. Up to 32 bytes
 * at p may be written: the text is the part before the end. Without printf
 * for the values results hold; sim_csv_put_num_printf is printf's text,
 * the reference it is tested against. */
char *sim_csv_put_num(char *p, double x);
char *sim_csv_put_num_printf(char *p, double x);
/* The same with all 17 significant digits, as "%.17g" writes them, byte
 * for byte: text that reads back as the very same double (for what is
 * read again, like a sweep's journals). At most 31 characters, nothing
 * for NaN; sim_csv_put_exact_printf is the printf reference. */
char *sim_csv_put_exact(char *p, double x);
char *sim_csv_put_exact_printf(char *p, double x);
/* Writes the decimal digits of x at p (no NUL) and returns the end; up
 * to 20 bytes at p may be written, the text is the part before the end. */
char *sim_csv_put_uint(char *p, uint64_t x);
/* Formats x as sim_csv_num would ("" for NaN) into buf (at least 32 bytes). */
void sim_csv_format_num(char *buf, double x);

/* Creates a folder and its parents (like mkdir -p). 0 or -1 with errno. */
int sim_mkdir_p(const char *dir);

/* The whole of the file at `path`, NUL-terminated, in a buffer to free;
 * *len is its length. NULL with *error set when it cannot be read
 * (errno's value), is not a regular file and `regular_only` asks for one
 * (EINVAL), or holds more than max_bytes (EFBIG; also while a file grows
 * being read). */
char *sim_file_read_all(const char *path, size_t max_bytes, bool regular_only,
                        size_t *len, int *error);

/* Files that loket creates are never opened through something planted at
 * their name: a symbolic link there would otherwise make loket overwrite
 * whatever it points to.
 *
 * sim_file_create() creates PATH as a new regular file for writing
 * (O_CREAT|O_EXCL|O_NOFOLLOW, mode 0644 before the umask); it fails with
 * EEXIST if anything, a symbolic link included, is already there.
 * sim_file_create_unique() tries BASE, then BASE.1, BASE.2, ... (up to 100)
 * until it finds a free name, and returns that name in *path (free it): for
 * temporary files, which may then be renamed into place.
 * sim_file_open_read() opens an existing regular file for reading without
 * following a symbolic link at its last component.
 * sim_file_open_rw() opens PATH for reading and writing, creating it if it
 * is absent; it refuses a symbolic link (ELOOP), and anything that is not a
 * regular file with one name (EPERM), so a hard link to another file is not
 * appended to either. It returns a file descriptor, for journals that are
 * read, cut back, locked and appended to.
 * All return NULL or -1 with errno set. */
FILE *sim_file_create(const char *path);
FILE *sim_file_create_unique(const char *base, char **path);
FILE *sim_file_open_read(const char *path);
int sim_file_open_rw(const char *path);

#endif
