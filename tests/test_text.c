/* Names in the terminal's aligned columns (cli/text.c): widths in
 * characters, cuts between characters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cli/text.h"

/* text_cell's output for s in a column of `width`. */
static char *cell(const char *s, int width, bool right)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_non_null(f);
  text_cell(f, s, width, right);
  fclose(f);
  return buf;
}

static void expect_cell(const char *s, int width, bool right, const char *want)
{
  char *got = cell(s, width, right);
  assert_string_equal(got, want);
  free(got);
}

static void ascii_as_printf(void **state)
{
  (void)state;
  expect_cell("desk", 8, false, "desk    ");
  expect_cell("desk", 8, true, "    desk");
  expect_cell("reception", 4, false, "rece");
  expect_cell("", 3, false, "   ");
  expect_cell("abc", 3, true, "abc");
}

/* "Eén" is three characters in four bytes: padded as three, so that its
 * column lines up with an ASCII name's. */
static void counts_characters(void **state)
{
  (void)state;
  expect_cell("E\xc3\xa9n loket", 12, false, "E\xc3\xa9n loket   ");
  expect_cell("E\xc3\xa9n loket", 12, true, "   E\xc3\xa9n loket");
  /* Three-byte characters: the en dash and the euro sign. */
  expect_cell("a\xe2\x80\x93" "b \xe2\x82\xac", 6, false, "a\xe2\x80\x93" "b \xe2\x82\xac ");
}

/* Cut to fit between characters, never inside one: cutting "Eén" to two
 * characters keeps both bytes of the é. */
static void cuts_between_characters(void **state)
{
  (void)state;
  expect_cell("E\xc3\xa9n", 2, false, "E\xc3\xa9");
  expect_cell("\xc3\xa9\xc3\xa9\xc3\xa9", 1, true, "\xc3\xa9");
  expect_cell("\xf0\x9f\x99\x82x", 1, false, "\xf0\x9f\x99\x82");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(ascii_as_printf),
    cmocka_unit_test(counts_characters),
    cmocka_unit_test(cuts_between_characters),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
