/*
 * models/load_diag.c — the loader's messages: compiler-style positions,
 * "did you mean" suggestions, excerpts of file text, the UTF-8 check, and
 * the index of names the suggestions and look-ups use.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/load.h"
#include "models/scenario.h"
#include "sim/check.h"

/* ---- positions ---------------------------------------------------------- */

static const char *origin_of(struct loader *L, struct fy_node *at)
{
  for (struct fy_node *n = at; n; n = fy_node_get_parent(n))
    for (size_t i = 0; i < L->norigins; i++)
      if (L->origins[i].node == n)
        return L->origins[i].text;
  return NULL;
}

/* The node to try next when libfyaml has no position for `n`: the key of a
 * mapping value, else the enclosing node. */
static struct fy_node *enclosing(struct fy_node *n)
{
  struct fy_node *parent = fy_node_get_parent(n);
  if (parent && fy_node_get_type(parent) == FYNT_MAPPING) {
    void *iter = NULL;
    struct fy_node_pair *pair;
    while ((pair = fy_node_mapping_iterate(parent, &iter)))
      if (fy_node_pair_value(pair) == n && fy_node_pair_key(pair))
        return fy_node_pair_key(pair);
  }
  return parent;
}

/* True when the tree under `n` contains `target`. (fy_node_get_parent is
 * not kept up to date for a value replaced with fy_node_pair_set_value, so
 * the tree is searched downwards; this runs only for a message.) */
static bool contains(struct fy_node *n, struct fy_node *target)
{
  if (!n)
    return false;
  if (n == target)
    return true;
  void *iter = NULL;
  switch (fy_node_get_type(n)) {
  case FYNT_MAPPING:
    for (struct fy_node_pair *p; (p = fy_node_mapping_iterate(n, &iter));)
      if (contains(fy_node_pair_key(p), target) || contains(fy_node_pair_value(p), target))
        return true;
    return false;
  case FYNT_SEQUENCE:
    for (struct fy_node *item; (item = fy_node_sequence_iterate(n, &iter));)
      if (contains(item, target))
        return true;
    return false;
  default:
    return false;
  }
}

/* True when `at` holds a node that an override put into the document. */
static bool holds_override(struct loader *L, struct fy_node *at)
{
  if (fy_node_get_type(at) == FYNT_SCALAR)
    return false;
  for (size_t i = 0; i < L->norigins; i++)
    if (contains(at, L->origins[i].node))
      return true;
  return false;
}

struct fy_diag_error *last_error(struct loader *L)
{
  struct fy_diag_error *e, *last = NULL;
  void *iter = NULL;
  while ((e = fy_diag_errors_iterate(L->diag, &iter)))
    last = e;
  return last;
}

LOAD_PRINTF(3, 0)
static void vreport(struct loader *L, struct fy_node *at, const char *fmt,
                    va_list ap)
{
  if (L->failed)
    return;
  L->failed = true;
  char msg[768];
  vsnprintf(msg, sizeof msg, fmt, ap);
  /* Messages quote values and file names from the scenario, which YAML
   * escapes can fill with control characters: a terminal must not obey
   * them. */
  for (char *c = msg; *c; c++)
    if ((unsigned char)*c < 0x20 || *c == 0x7f)
      *c = '?';
  const char *origin = at ? origin_of(L, at) : NULL;
  if (origin) {
    snprintf(L->err, L->errlen, "--set %s: error: %s", origin, msg);
    return;
  }
  if (!at) {
    snprintf(L->err, L->errlen, "%s: error: %s", L->path, msg);
    return;
  }
  /* A mapping or list that holds a node an override inserted ends in the
   * override's text, which has no file: libfyaml's report would read that
   * input's missing name and crash. Its start is still in the file. */
  if (holds_override(L, at)) {
    /* Only scalars have a position to ask for: the first one inside (the
     * first key of a block mapping starts where the mapping does). */
    struct fy_node *first = at;
    while (first && fy_node_get_type(first) != FYNT_SCALAR) {
      void *iter = NULL;
      if (fy_node_get_type(first) == FYNT_MAPPING) {
        struct fy_node_pair *pair = fy_node_mapping_iterate(first, &iter);
        first = pair ? fy_node_pair_key(pair) : NULL;
      } else {
        first = fy_node_sequence_iterate(first, &iter);
      }
    }
    struct fy_token *token = first ? fy_node_get_scalar_token(first) : NULL;
    const struct fy_mark *start = token ? fy_token_start_mark(token) : NULL;
    if (start)
      snprintf(L->err, L->errlen, "%s:%d:%d: error: %s", L->path, start->line + 1,
               start->column + 1, msg);
    else
      snprintf(L->err, L->errlen, "%s: error: %s", L->path, msg);
    return;
  }
  /* An empty value (`staff:` with nothing after it), and a block list
   * holding one, have no position in libfyaml: use the key or the
   * enclosing node instead. */
  struct fy_diag_error *before = last_error(L), *last = NULL;
  for (struct fy_node *n = at; n && !last; n = enclosing(n)) {
    fy_diag_node_report(L->diag, n, FYET_ERROR, "%s", msg);
    if ((last = last_error(L)) == before)
      last = NULL;
  }
  if (last)
    snprintf(L->err, L->errlen, "%s:%d:%d: error: %s", L->path, last->line,
             last->column, msg);
  else
    snprintf(L->err, L->errlen, "%s: error: %s", L->path, msg);
}

void report(struct loader *L, struct fy_node *at, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vreport(L, at, fmt, ap);
  va_end(ap);
}

/* ---- suggestions -------------------------------------------------------- */

size_t model_edit_distance(const char *a, const char *b)
{
  size_t la = strlen(a), lb = strlen(b);
  size_t *row = sim_xcalloc(lb + 1, sizeof *row);
  for (size_t j = 0; j <= lb; j++)
    row[j] = j;
  for (size_t i = 1; i <= la; i++) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= lb; j++) {
      size_t up = row[j];
      size_t best = diag + (a[i - 1] != b[j - 1]);
      if (up + 1 < best)
        best = up + 1;
      if (row[j - 1] + 1 < best)
        best = row[j - 1] + 1;
      row[j] = best;
      diag = up;
    }
  }
  size_t d = row[lb];
  free(row);
  return d;
}

/* A suggestion is made only when it is close: an edit distance of at most
 * a third of the longer word, plus one (so "pay" still finds "paid" and
 * "cost_per_hour" "cost_per_staff_hour"). Otherwise the nearest known word
 * is just a random one, and suggesting it misleads. */
const char *suggestion(char *buf, size_t len, const char *word,
                       const char *const *known)
{
  const char *best = NULL;
  size_t best_d = SIZE_MAX, best_len = 0;
  for (; *known; known++) {
    size_t d = model_edit_distance(word, *known);
    if (d < best_d) {
      best_d = d;
      best = *known;
      best_len = strlen(*known);
    }
  }
  size_t longer = strlen(word) > best_len ? strlen(word) : best_len;
  if (!best || best_d > longer / 3 + 1)
    buf[0] = '\0';
  else
    snprintf(buf, len, "; did you mean '%s'?", best);
  return buf;
}

/* ---- text from files ---------------------------------------------------- */

/* A short, printable excerpt of text from a file, for a message: bytes
 * outside printable ASCII become '?', and more than 40 bytes are cut with
 * "...". Files may hold anything; messages go to terminals. */
void excerpt(char *out, size_t outlen, const char *s, size_t n)
{
  enum { MAX = 40 };
  size_t k = 0;
  for (size_t i = 0; i < n && i < MAX && k + 1 < outlen; i++) {
    unsigned char c = (unsigned char)s[i];
    out[k++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
  }
  if (n > MAX && k + 4 < outlen) {
    memcpy(out + k, "...", 3);
    k += 3;
  }
  out[k] = '\0';
}

/* Scenario text must be UTF-8 without NUL bytes: anything else (a file in
 * another encoding, a binary file) is refused with its position, before
 * the YAML parser sees it. Returns the offset of the first bad byte, or
 * len. */
size_t utf8_prefix(const unsigned char *s, size_t len)
{
  size_t i = 0;
  while (i < len) {
    unsigned char c = s[i];
    /* Lengths and the allowed range of the second byte (RFC 3629): no
     * overlong forms, no surrogates, nothing above U+10FFFF. */
    size_t n;
    unsigned char lo = 0x80, hi = 0xbf;
    if (c >= 0x01 && c <= 0x7f)
      n = 1;
    else if (c >= 0xc2 && c <= 0xdf)
      n = 2;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 3;
      lo = c == 0xe0 ? 0xa0 : 0x80;
      hi = c == 0xed ? 0x9f : 0xbf;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 4;
      lo = c == 0xf0 ? 0x90 : 0x80;
      hi = c == 0xf4 ? 0x8f : 0xbf;
    } else
      return i;
    if (i + n > len)
      return i;
    if (n > 1 && (s[i + 1] < lo || s[i + 1] > hi))
      return i;
    for (size_t k = 2; k < n; k++)
      if ((s[i + k] & 0xc0) != 0x80)
        return i;
    i += n;
  }
  return i;
}

/* ---- an index of names ------------------------------------------------- */

void name_index_init(struct name_index *ix, size_t count)
{
  size_t cap = 8;
  while (cap < 2 * count)
    cap *= 2;
  ix->slots = sim_xcalloc(cap, sizeof *ix->slots);
  ix->mask = cap - 1;
}

void name_index_fini(struct name_index *ix)
{
  free(ix->slots);
  ix->slots = NULL;
}

static struct name_slot *name_slot(const struct name_index *ix, const char *name,
                                   size_t len)
{
  uint64_t h = 1469598103934665603u; /* FNV-1a */
  for (size_t i = 0; i < len; i++)
    h = (h ^ (unsigned char)name[i]) * 1099511628211u;
  for (size_t i = (size_t)h & ix->mask;; i = (i + 1) & ix->mask) {
    struct name_slot *slot = &ix->slots[i];
    if (!slot->name ||
        (slot->len == len && memcmp(slot->name, name, len) == 0))
      return slot;
  }
}

uint32_t name_index_add(struct name_index *ix, const char *name,
                               size_t len, uint32_t value)
{
  struct name_slot *slot = name_slot(ix, name, len);
  if (slot->name)
    return slot->value;
  *slot = (struct name_slot){name, len, value};
  return NAME_NONE;
}

uint32_t name_index_find(const struct name_index *ix, const char *name)
{
  if (!ix->slots)
    return NAME_NONE;
  struct name_slot *slot = name_slot(ix, name, strlen(name));
  return slot->name ? slot->value : NAME_NONE;
}
