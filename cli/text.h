/*
 * cli/text.h — names in the terminal's aligned columns. Names are UTF-8
 * (the loader checks it); a column's width is counted in characters (code
 * points), not bytes, so "Eén loket" lines up with "Burgerzaken", and a
 * name cut to fit is cut between characters, never inside one.
 */
#ifndef LOKET_CLI_TEXT_H
#define LOKET_CLI_TEXT_H

#include <stdbool.h>
#include <stdio.h>

/* Writes s in a column of `width` characters: cut to fit, then padded
 * with spaces on the right (left-aligned) or on the left (right). */
void text_cell(FILE *out, const char *s, int width, bool right);

#endif
