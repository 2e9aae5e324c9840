/* eft.h — error-free transformations of long double sums and products.
 *
 * fms_eft_prod_err(a, b, p) with p = fl(a·b) returns a·b − p exactly; with
 * a 64-bit long double (x87) it is Dekker's product over Veltkamp's split
 * (a few multiplications, where fmal is emulated in software), on other
 * formats fmal(a, b, −p).
 * fms_eft_sum_err(a, b, s) with s = fl(a + b) returns a + b − s exactly
 * (Knuth's TwoSum, any order of magnitudes).
 * fms_eft_fma(a, b, c) is a·b + c formed from both: the result r satisfies
 * |r − (a·b + c)| ≤ u·|r| + u²·(|a·b| + |c|)·2, u the unit roundoff — one
 * rounding but for a term below long double's precision squared.
 *
 * Domain: finite arguments whose products and sums neither overflow nor
 * underflow (|a|, |b| below 2^16000 and the products above 2^-16000 in
 * magnitude, or zero); outside it the results are those of the plain
 * operations, and the error terms may be inexact.  No errors are reported. */
#ifndef FMS_BASE_EFT_H
#define FMS_BASE_EFT_H

#include <float.h>
#include <math.h>

static inline long double fms_eft_prod_err(long double a, long double b, long double p)
{
#if LDBL_MANT_DIG == 64
    const long double split = 4294967297.0L; /* 2^32 + 1 */
    const long double ca = split * a, cb = split * b;
    const long double ah = ca - (ca - a), al = a - ah;
    const long double bh = cb - (cb - b), bl = b - bh;
    return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
#else
    return fmal(a, b, -p);
#endif
}

static inline long double fms_eft_sum_err(long double a, long double b, long double s)
{
    const long double bb = s - a;
    return (a - (s - bb)) + (b - bb);
}

static inline long double fms_eft_fma(long double a, long double b, long double c)
{
    const long double p = a * b;
    const long double pe = fms_eft_prod_err(a, b, p);
    const long double s = p + c;
    const long double se = fms_eft_sum_err(p, c, s);
    return s + (pe + se);
}

#endif
