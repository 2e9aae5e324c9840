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

#endif /* FMS_NUMFMT_H */
