/*
 * sim/numfmt.c — numbers as the text of loket's CSV files (declared in
 * sim/csv.h).
 *
 * Numbers are written without printf, whose conversion of doubles was most
 * of a traced run's time and of writing a run's files: whole numbers in
 * full, others as "%.10g" writes them, byte for byte, for the values
 * results hold: the digits come from one rounded multiplication where
 * that is provably exact (put_g10), else from exact integer arithmetic
 * on the double's bits (put_g), rounded to nearest with ties to even as
 * printf rounds, so the output is the same on every run and machine.
 * Ten digits also in the exponent form "%.10g" takes between 1e-12 and
 * 1e-4 (put_e10). Values outside those ranges (below 1e-12, at least
 * 1e10, not finite) go to printf (put_printf).
 */

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sim/csv.h"

static const char digit_pairs[201] =
  "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
  "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
  "8081828384858687888990919293949596979899";

static const uint64_t pow10_table[] = {
  1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL,
  100000000ULL, 1000000000ULL, 10000000000ULL, 100000000000ULL,
  1000000000000ULL, 10000000000000ULL, 100000000000000ULL,
  1000000000000000ULL, 10000000000000000ULL, 100000000000000000ULL,
  1000000000000000000ULL, 10000000000000000000ULL};

/* How many decimal digits x has (1 for 0): t = floor(bits log10 2) from
 * the bit length (1233 / 4096 is log10 2 to within 1e-4), then one
 * comparison. x | 1 has as many digits as x and is never 0. */
static int digit_count(uint64_t x)
{
  uint64_t y = x | 1;
  int t = ((64 - __builtin_clzll(y)) * 1233) >> 12;
  return t + 1 - (y < pow10_table[t]);
}

/* The n lowest decimal digits of x < 10^8, ending just before end, two at
 * a time in 32-bit arithmetic. */
static void put_digits32(char *end, uint32_t x, int n)
{
  while (n >= 2) {
    uint32_t pair = x % 100;
    x /= 100;
    end -= 2;
    memcpy(end, digit_pairs + 2 * pair, 2);
    n -= 2;
  }
  if (n)
    *--end = (char)('0' + x % 10);
}

/* Writes the n lowest decimal digits of x so that they end just before
 * end. */
static void put_digits(char *end, uint64_t x, int n)
{
  while (n > 8) {
    put_digits32(end, (uint32_t)(x % 100000000), 8);
    x /= 100000000;
    end -= 8;
    n -= 8;
  }
  put_digits32(end, (uint32_t)(x < 100000000 ? x : x % 100000000), n);
}

/* The five decimal digits of x < 100000, leading zeros included. */
static void put_five(char *p, uint32_t x)
{
  p[0] = (char)('0' + x / 10000);
  uint32_t rest = x % 10000;
  memcpy(p + 1, digit_pairs + 2 * (rest / 100), 2);
  memcpy(p + 3, digit_pairs + 2 * (rest % 100), 2);
}

/* The digits of v < 10^8 as the eight bytes of a word, the most
 * significant in the lowest byte (the first in memory on a little-endian
 * machine), by arithmetic on lanes of the word: v splits into two halves
 * of four digits (32-bit lanes), each into two of two digits (16-bit
 * lanes), each into two digits (bytes). x 10486 >> 20 is x / 100 and
 * x 103 >> 10 is x / 10 for the values in the lanes, with no lane
 * carrying into the next. */
static inline uint64_t eight_digits(uint32_t v)
{
  uint64_t x = (v / 10000) | ((uint64_t)(v % 10000) << 32);
  uint64_t h = ((x * 10486) >> 20) & 0x0000007f0000007fULL;
  x = h | ((x - h * 100) << 16);
  h = ((x * 103) >> 10) & 0x000f000f000f000fULL;
  return h | ((x - h * 10) << 8);
}

/* Writes the decimal digits of x at p; returns the end. Below 10^8 (on
 * a little-endian machine) the eight digits of eight_digits less the
 * leading zeros, stored as one word: up to 8 bytes at p are written. */
static inline char *put_uint(char *p, uint64_t x)
{
  if (x < 10) {   /* most counts of a trace's row: 0 or 1 */
    *p = (char)('0' + x);
    return p + 1;
  }
  int n = digit_count(x);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  if (x < 100000000) {
    uint64_t word = (eight_digits((uint32_t)x) >> (8 * (8 - n))) + 0x3030303030303030ULL;
    memcpy(p, &word, 8);
    return p + n;
  }
#endif
  put_digits(p + n, x, n);
  return p + n;
}

/* x with `precision` (10 or 17) significant digits as "%.10g" or
 * "%.17g" prints it, for 1e-4 <= x < 1e10 and x not whole. Returns NULL
 * when x lies outside that range after rounding (the caller falls back to
 * printf). With 17 digits the scale reaches 10^20 and the product of the
 * 53-bit mantissa and the scale stays below 2^120. Not inlined: with ten
 * digits it is put_g10's rare fallback, and inlined there it cost the
 * quick path registers. */
__attribute__((noinline)) static char *put_g(char *p, double x, int precision)
{
  uint64_t bits;
  memcpy(&bits, &x, sizeof bits);
  int biased = (int)((bits >> 52) & 0x7ff);
  uint64_t mantissa = (bits & ((1ULL << 52) - 1)) | (1ULL << 52);
  int shift = 1075 - biased;   /* x = mantissa / 2^shift */
  if (biased == 0 || shift <= 0 || shift > 70)
    return NULL;
  /* Decimal exponent k (10^k <= x < 10^(k+1)): floor(e log10 2) for the
   * binary exponent e (78913 / 2^18 is log10 2 to within 1e-7, exact for
   * |e| < 2600), corrected by the exact digit count below. */
  int k = ((biased - 1023) * 78913) >> 18;
  const uint64_t low = pow10_table[precision - 1], high = pow10_table[precision];
  unsigned __int128 scaled = 0;
  uint64_t digits = 0;
  for (int tries = 0; tries < 3; tries++) {
    if (k < -4 || k > 9)
      return NULL;
    int e = precision - 1 - k;   /* scale by 10^e, e <= 20 */
    unsigned __int128 scale = e <= 19 ? (unsigned __int128)pow10_table[e]
                                      : (unsigned __int128)pow10_table[19] * 10;
    scaled = (unsigned __int128)mantissa * scale;
    digits = (uint64_t)(scaled >> shift);
    if (digits >= high)
      k++;
    else if (digits < low)
      k--;
    else
      break;
  }
  if (digits < low || digits >= high)
    return NULL;
  unsigned __int128 rest = scaled & (((unsigned __int128)1 << shift) - 1);
  unsigned __int128 half = (unsigned __int128)1 << (shift - 1);
  if (rest > half || (rest == half && (digits & 1)))
    digits++;
  if (digits == high) {   /* 9.9999999996 -> 10.00000000 */
    digits = low;
    if (++k > 9)
      return NULL;
  }
  /* Fixed notation with precision - 1 - k decimals, trailing zeros
   * dropped: the digits first, then placed around the point. */
  char all[17];
  if (precision == 10) {   /* unrolled, two at a time */
    put_five(all, (uint32_t)(digits / 100000));
    put_five(all + 5, (uint32_t)(digits % 100000));
  } else {
    put_digits(all + precision, digits, precision);
  }
  int n = precision, decimals = precision - 1 - k;
  while (decimals > 0 && all[n - 1] == '0') {
    n--;
    decimals--;
  }
  if (k >= 0) {   /* ddd.ddd: k + 1 digits before the point */
    memcpy(p, all, (size_t)k + 1);
    p += k + 1;
    if (decimals) {
      *p++ = '.';
      memcpy(p, all + k + 1, (size_t)decimals);
      p += decimals;
    }
    return p;
  }
  *p++ = '0';   /* 0.000ddd: -k - 1 zeros after the point */
  *p++ = '.';
  for (int i = 0; i < -k - 1; i++)
    *p++ = '0';
  memcpy(p, all, (size_t)n);
  return p + n;
}

/* Powers of ten that doubles hold exactly: 10^0 .. 10^22. */
static const double pow10_exact[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* x's ten significant digits, 10^9 <= *digits <= 10^10 - 1, and its
 * decimal exponent *k, so that x rounds to *digits 10^(*k - 9), for
 * 10^-12 <= x < 10^10 (where 10^(9-k) <= 10^22 is an exact double): x
 * is scaled to ten digits before the point by one multiplication,
 * y = x 10^(9-k). y < 2^34, so its one rounding moves it by at most
 * 2^-20, and rounding y to a whole number gives the exact digits unless
 * y's fraction lies within that of one half. False for those few, and
 * for a y below 10^9: the caller takes the exact path. (Near the borders
 * of [10^9, 10^10) y is within 2^-20 of a power of ten, where both roads
 * round to the same digits: 9999999999.9999995 and 1000000000.0000001
 * are both "1" and then zeros.) */
static inline bool ten_digits(double x, int *k_out, uint64_t *digits_out)
{
  uint64_t bits;
  memcpy(&bits, &x, sizeof bits);
  /* k = floor(log10 x) or one less (see put_g), so after the step below
   * y < 10^10, rounded up to 10^10 at worst, which the carry handles. At
   * k = 9, y = x < 10^10 takes no step. */
  int k = (((int)(bits >> 52) - 1023) * 78913) >> 18;
  double y = x * pow10_exact[9 - k];
  if (y >= 1e10) {
    k++;
    y = x * pow10_exact[9 - k];
  }
  if (y < 1e9)
    return false;
  uint64_t digits = (uint64_t)y;
  double frac = y - (double)digits;   /* exact */
  if (fabs(frac - 0.5) < 0x1p-16)
    return false;
  digits += frac > 0.5;
  if (digits == 10000000000ULL) {   /* 9.9999999996 -> 10.00000000 */
    digits = 1000000000ULL;
    k++;
  }
  *k_out = k;
  *digits_out = digits;
  return true;
}

/* The same as put_g(p, x, 10), quicker, for 1e-4 <= x < 1e10: the digits
 * of ten_digits (the rest go to put_g). After them -4 <= k (the double
 * 1e-4 is above 10^-4). The ten digits are assembled in two words, the
 * point put in by shifting, and the text stored from them, so that
 * nothing just stored is read back: up to 21 bytes at p are written, the
 * text is the part before the returned end. Little-endian machines only
 * (see put_quick). */
static inline char *put_g10(char *p, double x)
{
  int k;
  uint64_t digits;
  if (!ten_digits(x, &k, &digits))
    return put_g(p, x, 10);
  if (k > 9)
    return NULL;
  uint32_t top = (uint32_t)(digits / 100000000), low = (uint32_t)(digits % 100000000);
  uint32_t first = top / 10, second = top - 10 * first;
  uint64_t word = eight_digits(low);
  /* the zeros the number ends in (the first digit is never 0) */
  int zeros = word ? __builtin_clzll(word) >> 3 : 8 + (second == 0);
  /* the ten digits as text: bytes 0..7 in lo, 8 and 9 in hi */
  uint64_t lo = ((word << 16) | first | (second << 8)) + 0x3030303030303030ULL;
  uint64_t hi = (word >> 48) + 0x3030;
  if (k < 0) {   /* 0.000ddd: -k - 1 zeros after the point */
    memcpy(p, "0.000000", 8);
    memcpy(p + 1 - k, &lo, 8);
    memcpy(p + 9 - k, &hi, 8);
    return p + 11 - k - zeros;
  }
  int whole = k + 1, decimals = 9 - k - (zeros < 9 - k ? zeros : 9 - k);
  if (!decimals) {
    memcpy(p, &lo, 8);
    memcpy(p + 8, &hi, 8);
    return p + whole;
  }
  if (whole < 8) {   /* the digits one place on, then the first 8 bytes */
    memcpy(p + 1, &lo, 8);
    memcpy(p + 9, &hi, 8);
    uint64_t after = ~0ULL << (8 * whole);
    lo = (lo & ~after) | ((uint64_t)'.' << (8 * whole)) | ((lo << 8) & (after << 8));
    memcpy(p, &lo, 8);
    return p + whole + 1 + decimals;
  }
  char text[16];   /* 10^7 and more: rare in results */
  memcpy(text, &lo, 8);
  memcpy(text + 8, &hi, 8);
  memcpy(p, text, (size_t)whole);
  p[whole] = '.';
  memcpy(p + whole + 1, text + whole, (size_t)decimals);
  return p + whole + 1 + decimals;
}

/* x with ten significant digits in the exponent form "%.10g" takes for
 * 1e-12 <= x < 1e-4: d.ddddddddde-XX, the zeros the digits end in (and
 * then the point) left out. Small shares and rates, such as a bucket's
 * share of waits.csv, are such numbers. The digits are ten_digits'; NULL
 * where printf must do it: where ten_digits cannot be sure, or for a value
 * that rounds up to 1.000000000e-4, which "%.10g" writes as 0.0001. Up to
 * 16 bytes at p are written, the text is the part before the returned
 * end. */
static char *put_e10(char *p, double x)
{
  int k;
  uint64_t digits;
  if (!ten_digits(x, &k, &digits) || k > -5)
    return NULL;
  char text[10];
  put_digits32(text + 10, (uint32_t)(digits % 100000000), 8);
  put_digits32(text + 2, (uint32_t)(digits / 100000000), 2);
  int last = 9;
  while (last > 0 && text[last] == '0')
    last--;
  *p++ = text[0];
  if (last > 0) {
    *p++ = '.';
    memcpy(p, text + 1, (size_t)last);
    p += last;
  }
  memcpy(p, "e-", 2);
  p[2] = (char)('0' + -k / 10);
  p[3] = (char)('0' + -k % 10);
  return p + 4;
}

/* printf's text for x: the reference the fast paths must equal. */
static char *put_printf(char *p, double x)
{
  if (isnan(x))
    return p;
  if (isinf(x)) {
    strcpy(p, x > 0 ? "inf" : "-inf");
    return p + strlen(p);
  }
  if (x == 0.0)
    x = 0.0; /* no "-0" */
  /* The C locale is never changed by loket, so '.' is the decimal point.
   * Whole numbers (counts) are printed in full rather than as 1.2e+10. */
  int n = x == floor(x) && fabs(x) < 1e15 ? snprintf(p, 32, "%.0f", x)
                                          : snprintf(p, 32, "%.10g", x);
  return p + n;
}

/* x without printf where that is quick and exact: a whole number below
 * 10^15 in full (-0 as "0" unless `signed_zero`), else one between 10^-4
 * and 10^10 in `digits` significant digits as %.<digits>g writes it; NULL
 * where printf must do it. */
static char *put_quick(char *p, double x, int digits, bool signed_zero)
{
  double magnitude = fabs(x);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  /* With ten digits the range first: a whole number below 10^10 comes out
   * of put_g10 in full, as below (x 10^(9-k) is then a whole number below
   * 2^34, exact). */
  if (digits == 10 && magnitude >= 1e-4 && magnitude < 1e10) {
    if (x < 0)
      *p++ = '-';
    return put_g10(p, magnitude);
  }
#endif
  if (digits == 10 && magnitude >= 1e-12 && magnitude < 1e-4) {
    if (x < 0)
      *p++ = '-';
    return put_e10(p, magnitude);
  }
  if (magnitude < 1e15 && x == (double)(int64_t)x && !(signed_zero && x == 0 && signbit(x))) {
    if (x < 0)
      *p++ = '-';
    return put_uint(p, (uint64_t)magnitude);
  }
  if (magnitude >= 1e-4 && magnitude < 1e10) {
    if (x < 0)
      *p++ = '-';
    return put_g(p, magnitude, digits);
  }
  return NULL;
}

char *sim_csv_put_num(char *p, double x)
{
  char *q = put_quick(p, x, 10, false);
  return q ? q : put_printf(p, x);
}

char *sim_csv_put_num_printf(char *p, double x)
{
  return put_printf(p, x);
}

char *sim_csv_put_exact(char *p, double x)
{
  char *q = put_quick(p, x, 17, true);
  return q ? q : sim_csv_put_exact_printf(p, x);
}

char *sim_csv_put_exact_printf(char *p, double x)
{
  return isnan(x) ? p : p + snprintf(p, 32, "%.17g", x);
}

char *sim_csv_put_uint(char *p, uint64_t x)
{
  return put_uint(p, x);
}

void sim_csv_format_num(char *buf, double x)
{
  *sim_csv_put_num(buf, x) = '\0';
}

