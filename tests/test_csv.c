/* CSV files: RFC 4180 quoting, stable numbers, complete-or-absent files. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "sim/csv.h"

static char dir[64];

static int make_dir(void **state)
{
  (void)state;
  snprintf(dir, sizeof dir, "csv-test-XXXXXX");
  return mkdtemp(dir) ? 0 : -1;
}

static char *slurp(const char *path)
{
  FILE *f = fopen(path, "r");
  if (!f)
    return NULL;
  static char buf[4096];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  buf[n] = '\0';
  fclose(f);
  return buf;
}

static bool exists(const char *path)
{
  struct stat st;
  return stat(path, &st) == 0;
}

static void numbers_are_stable(void **state)
{
  (void)state;
  char buf[32];
  sim_csv_format_num(buf, 2.385);
  assert_string_equal(buf, "2.385");
  sim_csv_format_num(buf, 1.0 / 3.0);
  assert_string_equal(buf, "0.3333333333");
  sim_csv_format_num(buf, 12345678901.0);
  assert_string_equal(buf, "12345678901");
  sim_csv_format_num(buf, -0.0);
  assert_string_equal(buf, "0");
  sim_csv_format_num(buf, NAN);
  assert_string_equal(buf, "");
  sim_csv_format_num(buf, 6.02e-23);
  assert_string_equal(buf, "6.02e-23");
}

static void writes_quoted_rows_atomically(void **state)
{
  (void)state;
  struct sim_csv csv;
  char final[128], tmp[128];
  snprintf(final, sizeof final, "%s/rows.csv", dir);
  snprintf(tmp, sizeof tmp, "%s/.rows.csv.tmp.%ld", dir, (long)getpid());
  assert_int_equal(sim_csv_open(&csv, dir, "rows.csv"), 0);
  static const char *const header[] = {"name", "value", "n", NULL};
  sim_csv_header(&csv, header);
  sim_csv_str(&csv, "Gemeente, balie");
  sim_csv_num(&csv, 0.125);
  sim_csv_int(&csv, -42);
  sim_csv_end_row(&csv);
  sim_csv_str(&csv, "say \"hi\"\nthere");
  sim_csv_num(&csv, NAN);
  sim_csv_int(&csv, 7);
  sim_csv_end_row(&csv);
  /* Before the commit only the temporary file exists. */
  assert_false(exists(final));
  assert_true(exists(tmp));
  assert_int_equal(sim_csv_commit(&csv), 0);
  assert_false(exists(tmp));
  assert_string_equal(slurp(final),
                      "name,value,n\n"
                      "\"Gemeente, balie\",0.125,-42\n"
                      "\"say \"\"hi\"\"\nthere\",,7\n");
  sim_csv_abort(&csv); /* harmless after a commit */
  assert_true(exists(final));
  unlink(final);
}

static void abort_leaves_nothing(void **state)
{
  (void)state;
  struct sim_csv csv;
  char final[128], tmp[128];
  snprintf(final, sizeof final, "%s/gone.csv", dir);
  snprintf(tmp, sizeof tmp, "%s/.gone.csv.tmp.%ld", dir, (long)getpid());
  assert_int_equal(sim_csv_open(&csv, dir, "gone.csv"), 0);
  sim_csv_str(&csv, "half a row");
  assert_true(exists(tmp));
  sim_csv_abort(&csv);
  assert_false(exists(final));
  assert_false(exists(tmp));
  /* An aborted file stays aborted: a later commit fails and makes nothing. */
  assert_int_equal(sim_csv_commit(&csv), -1);
  assert_false(exists(final));
}

static void reports_unwritable_places(void **state)
{
  (void)state;
  struct sim_csv csv;
  assert_int_equal(sim_csv_open(&csv, "no/such/folder", "x.csv"), -1);
  assert_non_null(strstr(csv.error, "cannot create"));
  assert_non_null(strstr(csv.error, "No such file or directory"));
  /* Writes after a failed open are ignored, and the commit fails too
   * (before the abort: after one, any commit fails). */
  sim_csv_str(&csv, "ignored");
  sim_csv_end_row(&csv);
  assert_int_equal(sim_csv_commit(&csv), -1);
  assert_non_null(strstr(csv.error, "No such file or directory"));
  assert_false(exists("no/such/folder/x.csv"));
  sim_csv_abort(&csv);
}

static void mkdir_p_makes_parents(void **state)
{
  (void)state;
  char path[128], file[160];
  snprintf(path, sizeof path, "%s/a/b/c", dir);
  assert_int_equal(sim_mkdir_p(path), 0);
  assert_int_equal(sim_mkdir_p(path), 0); /* existing is fine */
  snprintf(file, sizeof file, "%s/plain", dir);
  FILE *f = fopen(file, "w");
  fclose(f);
  snprintf(path, sizeof path, "%s/plain/sub", dir);
  assert_int_equal(sim_mkdir_p(path), -1);
  assert_int_equal(sim_mkdir_p(file), -1);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(numbers_are_stable),
    cmocka_unit_test(writes_quoted_rows_atomically),
    cmocka_unit_test(abort_leaves_nothing),
    cmocka_unit_test(reports_unwritable_places),
    cmocka_unit_test(mkdir_p_makes_parents),
  };
  return cmocka_run_group_tests(tests, make_dir, NULL);
}
