/* numfmt.h — reading and writing numbers the way fmsolve shows them.
 *
 * Contract: parsing accepts plain decimal numbers only (no hex, no inf/nan)
 * and reports a clear status; formatting never prints a tiny non-zero value as
 * a bare 0 and never prints "-0".  Output strings are written into a caller
 * buffer of FMS_NUM_MAX bytes.
 */
#ifndef FMS_NUMFMT_H
#define FMS_NUMFMT_H

#include <stddef.h>

#include "base/status.h"

/* Enough room for any number this module writes, NUL included. */
#define FMS_NUM_MAX 64

/* Parses s (surrounding blanks allowed) as one finite decimal number, such as
 * "0.5", "-.5", "2.385e-3".  Returns FMS_OK and sets *out; FMS_EINVAL when s
 * is empty or holds anything else (a word, two numbers, hex, "inf", "nan");
 * FMS_ERANGE when the number overflows a double. */
fms_status fms_numfmt_parse(const char *s, double *out);

/* Like fms_numfmt_parse, into a long double (x87 extended precision on x86):
 * the engine keeps decimal inputs such as t = 0.9 to 19 digits because its
 * answers are ill-conditioned near t = 1 (an error δ in t moves ε by about
 * δ/(1 − t)²). */
fms_status fms_numfmt_parse_ld(const char *s, long double *out);

/* Parses s like fms_numfmt_parse_ld and returns 1 − s, computed on the decimal
 * digits before any rounding, so that 1 − t keeps its relative precision for
 * t close to 1 ("0.999999999" gives 1e-9 to 19 digits, where 1 − strtold(s)
 * would keep only about 10).  Errors as fms_numfmt_parse. */
fms_status fms_numfmt_parse_one_minus(const char *s, long double *out);

/* Writes x with up to sig significant digits (1 ≤ sig ≤ 17) in C's %g style,
 * shortest form ("2.385", "-10", "1.23456789012345e-20"); -0 is written "0".
 * Non-finite x is written "nan", "inf" or "-inf".  This is the answer key's
 * format (sig = 15), so that 2.3850000000000002 reads as 2.385. */
void fms_numfmt_key(double x, int sig, char out[FMS_NUM_MAX]);

/* Writes the number m·10^e10 (1 ≤ |m| < 10 or m = 0) in key style,
 * "1.23456789012345e-20" or "3.1e-500": used for values that underflow a
 * double but are known through their logarithm. */
void fms_numfmt_key_e10(double m, long long e10, int sig, char out[FMS_NUM_MAX]);

/* Writes x for a worked answer, with up to sig significant digits: plain
 * decimals ("0.5", "−10") for 1e-4 ≤ |x| < 1e6, otherwise scientific as
 * "2.86·10^-20".  The minus sign is U+2212.  Zero is "0". */
void fms_numfmt_text(double x, int sig, char out[FMS_NUM_MAX]);

/* Like fms_numfmt_text for the value exp(log_x) (a positive number known by its
 * natural logarithm, possibly far outside the range of a double): "0.5",
 * "3.49·10^19", "10^-500" style with a mantissa, e.g. "3.1·10^-500".
 * Returns FMS_OK, or FMS_EDOM when log_x is NaN or infinite. */
fms_status fms_numfmt_text_exp(double log_x, int sig, char out[FMS_NUM_MAX]);

/* Splits exp(log_x) into m·10^e10 with 1 ≤ m < 10 (the value itself may
 * underflow or overflow a double).  Within GSL's range (|log_x| < 700) this is
 * gsl_sf_exp_e10_e; beyond, log_x/ln 10 is split in extended precision.
 * Returns FMS_OK; FMS_EDOM for a non-finite log_x; FMS_ERANGE when
 * |log_x| > 1e15, where a double log_x no longer determines any digit of m
 * (callers then write the value as e^log_x); FMS_EGSL if GSL reports an error. */
fms_status fms_numfmt_exp10_split(double log_x, double *m, long long *e10);

/* Returns 1 when x = a·b holds for the decimals the three numbers were read
 * from, 0 otherwise.  Each is taken as the decimal of at most 18 significant
 * digits nearest to it, which is the decimal it was parsed from whenever that
 * had at most 18 digits (two such decimals never round to the same long
 * double).  Used to find exact zeros such as ε_k = x_t − t·x_k = 0.45 − 0.9·0.5,
 * which a binary computation leaves at about 10^-20. */
int fms_numfmt_is_product(long double x, long double a, long double b);

/* ---- numbers with an error bound -----------------------------------------
 *
 * A value far outside the range of a double, with the bound of its error:
 *
 *   value = mant·10^e10, 1 ≤ |mant| < 10 (mant carries the sign);
 *   |true value − value| ≤ rel_err·|value|   (rel_err = 0: the value is exact).
 *
 * Zero is mant = 0: exactly 0 when rel_err = 0; "0 to within 10^e10" (an
 * absolute bound: the computed value vanished inside its own error, as a sum
 * that cancels by symmetry does) when rel_err is INFINITY.  A NaN mant means
 * no digit is known.  The formatters below print only the significant digits
 * the bound supports: the largest d (≤ the sig asked for) such that every
 * number within the bound rounds to the same d digits, so every printed digit
 * is right.  When the bound does not fix even one digit but the value is
 * known to be non-zero (rel_err < 1), one digit is printed; it may be off by
 * one (this happens only where a sum cancels to within 10^-17 or so of its
 * terms, see model/exact.h). */
typedef struct fms_sci {
    long double mant;
    long long e10;
    double rel_err;
} fms_sci;

/* x with relative error bound rel_err as an fms_sci (x = 0 gives an exact 0;
 * add the 0-within-bound case yourself).  x must be finite and at least
 * LDBL_MIN in magnitude (or 0); the split adds a few units of rounding to rel_err. */
fms_sci fms_numfmt_sci_from_ld(long double x, double rel_err);

/* sign·exp(log_abs) (sign ±1) as an fms_sci, where log_abs is known to within
 * log_err (absolute): the mantissa comes from log_abs·log10(e) evaluated in
 * double-extended pairs, so the split adds only a few units of 2^-64 to the
 * error, however far exp(log_abs) lies outside a double.  A NaN mant when
 * |log_abs| > 1e18 or log_abs is not finite. */
fms_sci fms_numfmt_sci_from_log(long double log_abs, double log_err, int sign);

/* The nearest double to the value (0 or ±inf outside the range of a double). */
double fms_numfmt_sci_to_double(const fms_sci *x);

/* m·10^e in long double: one rounding for |e| ≤ 27, where 10^|e| is exact
 * (a multiplication or a division by it), powl's accuracy beyond. */
long double fms_numfmt_scale10l(long double m, long long e);

/* The number of significant digits (0 to max_sig, max_sig ≤ 18) that the
 * bound supports: every number within the bound rounds to the same digits.
 * 0 for a NaN or a zero; an exact value gets max_sig. */
int fms_numfmt_sci_digits(const fms_sci *x, int max_sig);

/* Writes x in the answer key's style with at most max_sig significant digits,
 * cut to those the bound supports: C's %g layout ("2.385", "-10",
 * "1.23456789012345e-20", "-3.6e-78173003"); zero (exact or within its bound)
 * is "0", a NaN mantissa "nan".  Returns fms_numfmt_sci_digits(x, max_sig):
 * when it is 0 and x is neither 0 nor NaN, out holds one digit that the bound
 * does not prove. */
int fms_numfmt_key_sci(const fms_sci *x, int max_sig, char out[FMS_NUM_MAX]);

/* Writes x for a worked answer like fms_numfmt_text, with at most sig digits
 * cut to those the bound supports: "0.5", "−1.25·10^-19", "10^-400",
 * "−3.6·10^-78173003".  Zero is "0". */
void fms_numfmt_text_sci(const fms_sci *x, int sig, char out[FMS_NUM_MAX]);

/* Like fms_numfmt_exp10_split for a long double log_x, with the accuracy of
 * fms_numfmt_sci_from_log; m is rounded to a double at the end. */
fms_status fms_numfmt_exp10_split_l(long double log_x, double *m, long long *e10);

#endif /* FMS_NUMFMT_H */
