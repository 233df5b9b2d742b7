/* sim/csvread.h — the reader of what loket wrote — and the file helpers of
 * sim/csv.h that never follow a planted link. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "testing.h"
#include "sim/csv.h"
#include "sim/csvread.h"

static void write_file(const char *path, const char *text, size_t n)
{
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(text, 1, n, f), n);
  fclose(f);
}

#define WRITE(path, literal) write_file(path, literal, sizeof literal - 1)

/* Reads the whole file; the error of the first bad row, or "" if none. */
static const char *read_all(const char *path, bool allow_cut, size_t *rows)
{
  static char error[1024];
  struct sim_csv_reader r;
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  int rc = sim_csv_reader_init(&r, f, path, allow_cut), got = 0;
  *rows = 0;
  while (rc == 0 && (got = sim_csv_reader_next(&r)) == 1)
    (*rows)++;
  snprintf(error, sizeof error, "%s", rc != 0 || got < 0 ? r.error : "");
  sim_csv_reader_fini(&r);
  return error;
}

static void fields_by_name_with_quotes(void **state)
{
  (void)state;
  WRITE("cr-ok.csv", "name,value,note\r\n"
                     "a,2.385,\"with, comma\"\n"
                     "\"b \"\"q\"\"\",-7e-3,\"two\nlines\"\n"
                     "c,,\n");
  struct sim_csv_reader r;
  assert_int_equal(sim_csv_reader_open(&r, "cr-ok.csv"), 0);
  assert_int_equal(sim_csv_reader_column(&r, "value"), 1);
  assert_int_equal(sim_csv_reader_column(&r, "missing"), -1);
  assert_int_equal(sim_csv_reader_require(&r, "missing"), -1);
  assert_string_equal(r.error, "cr-ok.csv:1: there is no column 'missing'");
  double x;
  assert_int_equal(sim_csv_reader_next(&r), 1);
  assert_string_equal(sim_csv_reader_field(&r, 2), "with, comma");
  assert_int_equal(sim_csv_reader_num(&r, 1, false, &x), 0);
  assert_near(x, 2.385, 0);
  assert_int_equal(sim_csv_reader_next(&r), 1);
  assert_string_equal(sim_csv_reader_field(&r, 0), "b \"q\"");
  assert_string_equal(sim_csv_reader_field(&r, 2), "two\nlines");
  assert_int_equal(r.line, 3);
  assert_int_equal(sim_csv_reader_next(&r), 1);
  assert_int_equal(r.line, 5);  /* after the line break inside quotes */
  assert_int_equal(sim_csv_reader_num(&r, 1, true, &x), 0);
  assert_true(isnan(x));
  assert_int_equal(sim_csv_reader_num(&r, 1, false, &x), -1);
  assert_string_equal(r.error, "cr-ok.csv:5: column 'value': expected a number, got ''");
  assert_int_equal(sim_csv_reader_next(&r), 0);
  sim_csv_reader_fini(&r);
}

static void every_damage_has_file_and_line(void **state)
{
  (void)state;
  struct { const char *text; size_t len; const char *error; } cases[] = {
#define CASE(text, error) {text, sizeof text - 1, error}
    CASE("a,b\n1,2\n3\n", "cr-bad.csv:3: 1 field, but the header has 2 columns"),
    CASE("a,b\n1,2,3\n", "cr-bad.csv:2: 3 fields, but the header has 2 columns"),
    CASE("a,b\n1,\"2\n", "cr-bad.csv:2: a quoted field is not closed"),
    CASE("a,b\n1,\"2\"x\n", "cr-bad.csv:2: text after the closing quote of field 2"),
    CASE("a,b\n1,2\"\n", "cr-bad.csv:2: a quote inside unquoted field 2"),
    CASE("a,b\n1,2", "cr-bad.csv:2: the file ends in the middle of a row"),
    CASE("a,b\n1,\0002\n", "cr-bad.csv:2: a NUL byte in field 2"),
    CASE("a,b\n1,2\r3\n", "cr-bad.csv:2: a carriage return that does not end a line"),
    CASE("", "cr-bad.csv:1: the file is empty (no header row)"),
    CASE("a,a\n", "cr-bad.csv:1: column 'a' appears twice in the header"),
    CASE("a,,c\n", "cr-bad.csv:1: column 2 of the header has no name"),
#undef CASE
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    write_file("cr-bad.csv", cases[i].text, cases[i].len);
    size_t rows;
    const char *error = read_all("cr-bad.csv", false, &rows);
    if (strcmp(error, cases[i].error) != 0)
      fail_msg("case %zu: got '%s', expected '%s'", i, error, cases[i].error);
  }
}

/* A reader that could not start holds nothing but its message: callers
 * that return at once on -1 leak nothing (the sanitizer build's leak
 * check sees it too) and their message survives. */
static void a_failed_start_holds_nothing(void **state)
{
  (void)state;
  struct { const char *text; size_t len; const char *error; } cases[] = {
#define CASE(text, error) {text, sizeof text - 1, error}
    CASE("", "cr-fail.csv:1: the file is empty (no header row)"),
    CASE("a,a\n1,2\n", "cr-fail.csv:1: column 'a' appears twice in the header"),
    CASE("a,,c\n", "cr-fail.csv:1: column 2 of the header has no name"),
    CASE("a,\"b\n", "cr-fail.csv:1: a quoted field is not closed"),
#undef CASE
  };
  for (size_t i = 0; i <= sizeof cases / sizeof cases[0]; i++) {
    const char *path = "cr-fail.csv";
    if (i < sizeof cases / sizeof cases[0])
      write_file(path, cases[i].text, cases[i].len);
    else
      path = "cr-no-such-file.csv";
    struct sim_csv_reader r;
    assert_int_equal(sim_csv_reader_open(&r, path), -1);
    assert_null(r.file);
    assert_null(r.path);
    assert_null(r.header);
    assert_null(r.record);
    assert_null(r.starts);
    if (i < sizeof cases / sizeof cases[0])
      assert_string_equal(r.error, cases[i].error);
    else
      assert_non_null(strstr(r.error, "cannot read 'cr-no-such-file.csv'"));
    assert_false(r.cut);
  }
  /* A header cut short, where cut rows are allowed (a journal a kill cut,
   * or one another process is writing): -1, and r->cut says so. */
  write_file("cr-fail.csv", "format,ta", 9);
  FILE *f = fopen("cr-fail.csv", "rb");
  assert_non_null(f);
  struct sim_csv_reader r;
  assert_int_equal(sim_csv_reader_init(&r, f, "cr-fail.csv", true), -1);
  assert_true(r.cut);
  assert_null(r.file);
  assert_null(r.header);
}

static void numbers_and_counts_checked(void **state)
{
  (void)state;
  WRITE("cr-num.csv", "x\n1e999\nnan\n 3\n0x10\n12\n-1\n18446744073709551616\n");
  struct sim_csv_reader r;
  assert_int_equal(sim_csv_reader_open(&r, "cr-num.csv"), 0);
  double x;
  uint64_t n;
  const char *expect[] = {"got '1e999'", "got 'nan'", "got ' 3'", NULL};
  for (size_t i = 0; expect[i]; i++) {
    assert_int_equal(sim_csv_reader_next(&r), 1);
    assert_int_equal(sim_csv_reader_num(&r, 0, true, &x), -1);
    assert_non_null(strstr(r.error, "expected a finite number"));
    assert_non_null(strstr(r.error, expect[i]));
  }
  assert_int_equal(sim_csv_reader_next(&r), 1);  /* 0x10: a number, not a count */
  assert_int_equal(sim_csv_reader_count(&r, 0, 0, 100, &n), -1);
  assert_int_equal(sim_csv_reader_next(&r), 1);
  assert_int_equal(sim_csv_reader_count(&r, 0, 0, 11, &n), -1);
  assert_string_equal(r.error, "cr-num.csv:6: column 'x': expected a whole number from "
                               "0 to 11, got '12'");
  assert_int_equal(sim_csv_reader_count(&r, 0, 0, 12, &n), 0);
  assert_int_equal(n, 12);
  assert_int_equal(sim_csv_reader_next(&r), 1);
  assert_int_equal(sim_csv_reader_count(&r, 0, 0, UINT64_MAX, &n), -1);
  assert_int_equal(sim_csv_reader_next(&r), 1);
  assert_int_equal(sim_csv_reader_count(&r, 0, 0, UINT64_MAX, &n), -1);
  sim_csv_reader_fini(&r);
}

/* A journal cut by a kill: the half row is not returned, and `complete`
 * is where it starts. */
static void cut_last_row(void **state)
{
  (void)state;
  WRITE("cr-cut.csv", "a,b\n1,2\n3,\"4");
  size_t rows;
  assert_string_equal(read_all("cr-cut.csv", true, &rows), "");
  assert_int_equal(rows, 1);
  struct sim_csv_reader r;
  FILE *f = fopen("cr-cut.csv", "rb");
  assert_int_equal(sim_csv_reader_init(&r, f, "cr-cut.csv", true), 0);
  assert_int_equal(sim_csv_reader_next(&r), 1);
  assert_int_equal(sim_csv_reader_next(&r), 0);
  assert_true(r.cut);
  assert_int_equal(r.complete, 8);
  sim_csv_reader_fini(&r);
}

static void files_never_through_links(void **state)
{
  (void)state;
  WRITE("cr-victim.txt", "precious\n");
  unlink("cr-link");
  assert_int_equal(symlink("cr-victim.txt", "cr-link"), 0);
  errno = 0;
  assert_null(sim_file_create("cr-link"));
  assert_int_equal(errno, EEXIST);
  assert_null(sim_file_open_read("cr-link"));
  assert_int_equal(sim_file_open_rw("cr-link"), -1);
  assert_int_equal(errno, ELOOP);
  /* A hard link to another file is not appended to either. */
  unlink("cr-hard");
  assert_int_equal(link("cr-victim.txt", "cr-hard"), 0);
  assert_int_equal(sim_file_open_rw("cr-hard"), -1);
  assert_int_equal(errno, EPERM);
  char *path = NULL;
  FILE *f = sim_file_create_unique("cr-link", &path);
  assert_non_null(f);
  assert_string_equal(path, "cr-link.1");
  fputs("new\n", f);
  fclose(f);
  unlink(path);
  free(path);
  char *victim = test_slurp("cr-victim.txt");
  assert_string_equal(victim, "precious\n");
  free(victim);
  unlink("cr-link");
  unlink("cr-hard");
}

/* A failed piece hands its message to the file it was to be joined into;
 * an empty folder name is refused without reading past it. */
static void piece_errors_and_empty_folder(void **state)
{
  (void)state;
  test_sh("rm -rf cr-dir && mkdir cr-dir");
  struct sim_csv into, piece;
  assert_int_equal(sim_csv_open(&into, "cr-dir", "joined.csv"), 0);
  assert_int_equal(sim_csv_open(&piece, "cr-no-such-dir", "piece.csv"), -1);
  assert_int_equal(sim_csv_append_piece(&into, &piece), -1);
  assert_true(into.failed);
  assert_non_null(strstr(into.error, "cannot create 'cr-no-such-dir/.piece.csv.tmp."));
  sim_csv_abort(&piece);
  sim_csv_abort(&into);
  errno = 0;
  assert_int_equal(sim_mkdir_p(""), -1);
  assert_int_equal(errno, ENOENT);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(fields_by_name_with_quotes),
    cmocka_unit_test(every_damage_has_file_and_line),
    cmocka_unit_test(a_failed_start_holds_nothing),
    cmocka_unit_test(numbers_and_counts_checked),
    cmocka_unit_test(cut_last_row),
    cmocka_unit_test(files_never_through_links),
    cmocka_unit_test(piece_errors_and_empty_folder),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
