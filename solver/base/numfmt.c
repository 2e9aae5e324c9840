/* numfmt.c — see numfmt.h. */
#include "base/numfmt.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_exp.h>

#include "base/eft.h"

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Checks the decimal syntax; returns where the number starts and ends. */
static fms_status scan_decimal(const char *s, const char **start, const char **stop)
{
    if (s == NULL)
        return FMS_EINVAL;
    while (is_blank(*s))
        s++;
    /* Only decimal syntax: strtod alone would also take "inf", "nan" and hex. */
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    int digits = 0;
    while (*p >= '0' && *p <= '9') {
        p++;
        digits++;
    }
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9') {
            p++;
            digits++;
        }
    }
    if (digits == 0)
        return FMS_EINVAL;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return FMS_EINVAL;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    const char *end_of_number = p;
    while (is_blank(*p))
        p++;
    if (*p != '\0')
        return FMS_EINVAL;
    *start = s;
    *stop = end_of_number;
    return FMS_OK;
}

fms_status fms_numfmt_parse(const char *s, double *out)
{
    const char *a, *b;
    fms_status st = scan_decimal(s, &a, &b);
    if (st != FMS_OK)
        return st;
    char *end = NULL;
    double v = strtod(a, &end);
    if (end != b)
        return FMS_EINVAL;
    if (!isfinite(v))
        return FMS_ERANGE;
    /* Underflow to a subnormal or zero is accepted: the number is tiny, not wrong. */
    *out = v;
    return FMS_OK;
}

fms_status fms_numfmt_parse_ld(const char *s, long double *out)
{
    const char *a, *b;
    fms_status st = scan_decimal(s, &a, &b);
    if (st != FMS_OK)
        return st;
    char *end = NULL;
    long double v = strtold(a, &end);
    if (end != b)
        return FMS_EINVAL;
    if (!isfinite(v) || !isfinite((double)v))
        return FMS_ERANGE;
    *out = v;
    return FMS_OK;
}

fms_status fms_numfmt_parse_one_minus(const char *s, long double *out)
{
    long double v;
    fms_status st = fms_numfmt_parse_ld(s, &v);
    if (st != FMS_OK)
        return st;
    if (!(v > 0.5L && v < 1.0L)) {
        /* Away from 1 the subtraction loses nothing. */
        *out = 1.0L - v;
        return FMS_OK;
    }
    /* Collect the significant digits and the decimal exponent: v = 0.D × 10^e. */
    enum { MAXD = 96 };
    char digits[MAXD + 1];
    int nd = 0, point = -1, seen_nonzero = 0, e = 0;
    const char *p = s;
    while (*p == ' ' || *p == '\t' || *p == '+')
        p++;
    for (; (*p >= '0' && *p <= '9') || *p == '.'; p++) {
        if (*p == '.') {
            point = nd;
            continue;
        }
        if (*p == '0' && !seen_nonzero) {
            if (point >= 0)
                e--; /* a leading zero after the point shifts the scale */
            continue;
        }
        seen_nonzero = 1;
        if (nd < MAXD)
            digits[nd++] = *p;
        else if (point < 0)
            e++;
    }
    if (point >= 0 && seen_nonzero)
        e += point; /* digits before the point */
    else if (point < 0)
        e += nd;
    if (*p == 'e' || *p == 'E')
        e += atoi(p + 1);
    digits[nd] = '\0';
    /* Now v = 0.digits × 10^e with v in (0.5, 1), so e == 0. */
    if (e != 0 || nd == 0) {
        *out = 1.0L - v;
        return FMS_OK;
    }
    /* 1 − 0.D = (10^n − D)/10^n: the nines' complement of D, plus one in the last place. */
    char comp[MAXD + 4] = "0.";
    for (int i = 0; i < nd; i++)
        comp[2 + i] = (char)('9' - (digits[i] - '0'));
    comp[2 + nd] = '\0';
    for (int i = nd - 1; i >= 0; i--) {
        if (comp[2 + i] == '9') {
            comp[2 + i] = '0';
            continue;
        }
        comp[2 + i]++;
        break;
    }
    *out = strtold(comp, NULL);
    return FMS_OK;
}

void fms_numfmt_key(double x, int sig, char out[FMS_NUM_MAX])
{
    if (sig < 1)
        sig = 1;
    if (sig > 17)
        sig = 17;
    if (isnan(x)) {
        snprintf(out, FMS_NUM_MAX, "nan");
        return;
    }
    if (isinf(x)) {
        snprintf(out, FMS_NUM_MAX, x > 0 ? "inf" : "-inf");
        return;
    }
    if (x == 0.0)
        x = 0.0; /* turns -0 into 0 */
    snprintf(out, FMS_NUM_MAX, "%.*g", sig, x);
}

/* 10^k for 0 ≤ k ≤ 27, each exact in a long double (5^27 < 2^64). */
static const long double POW10_LD[] = {
    1e0L, 1e1L, 1e2L, 1e3L, 1e4L, 1e5L, 1e6L, 1e7L, 1e8L, 1e9L,
    1e10L, 1e11L, 1e12L, 1e13L, 1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L,
    1e20L, 1e21L, 1e22L, 1e23L, 1e24L, 1e25L, 1e26L, 1e27L,
};

long double fms_numfmt_scale10l(long double m, long long e)
{
    if (e >= 0 && e <= 27)
        return m * POW10_LD[e];
    if (e < 0 && e >= -27)
        return m / POW10_LD[-e];
    return m * powl(10.0L, (long double)e);
}

/* The fast path of round_sig for 1 ≤ v < 10 and d ≤ 18 with a 64-bit long
 * double: n = v·10^(d−1) is formed with one rounding (relative error ≤ 2^-64,
 * so under 0.06 of a unit at 18 digits) and rounded to the nearest integer q;
 * q is the rounding of the exact v·10^(d−1) unless n lies within four times
 * that error of a half-integer, where this returns 0 and the caller asks
 * printf, as it does for every other v.  llrintl rounds in the current mode,
 * with no change of the x87 control word that a cast would need. */
static int round_sig_fast(long double v, int d, char dig[24], long long *x)
{
#if LDBL_MANT_DIG == 64
    if (!(v >= 1.0L && v < 10.0L) || d < 1 || d > 18)
        return 0;
    const long double n = v * POW10_LD[d - 1];
    const long long q0 = llrintl(n);
    const long double r = n - (long double)q0; /* exact: |r| ≤ 1/2 and n ≥ 1 */
    if (fabsl(r) >= 0.5L - n * 0x1p-62L)
        return 0;
    unsigned long long q = (unsigned long long)q0;
    *x = 0;
    if (q >= (unsigned long long)POW10_LD[d]) { /* 9.995 to three digits is 1.00e+01 */
        q /= 10;
        *x = 1;
    }
    for (int i = d - 1; i >= 0; i--, q /= 10)
        dig[i] = (char)('0' + q % 10);
    dig[d] = '\0';
    return 1;
#else
    (void)v, (void)d, (void)dig, (void)x;
    return 0;
#endif
}

/* Rounds the positive number v·10^e10 to d significant digits (1 ≤ d ≤ 18):
 * dig receives the d digits, *x the power of ten of the first one.  printf
 * renormalises a carry (9.996 to three digits is 1.00e+01), so no mantissa of
 * 10 can come out; the fast path above gives printf's digits where it answers. */
static void round_sig(long double v, long long e10, int d, char dig[24], long long *x)
{
    long long carry;
    if (round_sig_fast(v, d, dig, &carry)) {
        *x = e10 + carry;
        return;
    }
    char buf[48];
    snprintf(buf, sizeof buf, "%.*Le", d - 1, v);
    int n = 0;
    const char *p = buf;
    for (; *p != '\0' && *p != 'e' && n < 23; p++)
        if (*p >= '0' && *p <= '9')
            dig[n++] = *p;
    dig[n] = '\0';
    *x = e10 + (*p == 'e' ? strtol(p + 1, NULL, 10) : 0);
}

/* Appends the decimal digits of v (≥ 0) at out, returning the count. */
static size_t put_uint(char *out, unsigned long long v)
{
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    return n;
}

/* Lays out the digits dig (rounded to p significant digits, the first one at
 * 10^x) in C's %g style with precision p: fixed notation for -4 ≤ x < p,
 * otherwise "d.ddde-20" (the exponent signed, at least two digits).  Written
 * by hand, not by snprintf: the key prints one per item. */
static void layout_key(const char *minus, const char *dig, long long x, int p, char out[FMS_NUM_MAX])
{
    size_t n = strnlen(dig, 22);
    while (n > 1 && dig[n - 1] == '0')
        n--;
    size_t k = strnlen(minus, 3);
    memcpy(out, minus, k);
    if (x < -4 || x >= p) {
        unsigned long long ax = x < 0 ? 0ULL - (unsigned long long)x : (unsigned long long)x;
        out[k++] = dig[0];
        if (n > 1) {
            out[k++] = '.';
            memcpy(out + k, dig + 1, n - 1);
            k += n - 1;
        }
        out[k++] = 'e';
        out[k++] = x < 0 ? '-' : '+';
        if (ax < 10)
            out[k++] = '0';
        k += put_uint(out + k, ax);
        out[k] = '\0';
        return;
    }
    if (x < 0) { /* -4 ≤ x ≤ -1: at most 3 zeros after the point */
        out[k++] = '0';
        out[k++] = '.';
        for (long long i = 0; i < -x - 1; i++)
            out[k++] = '0';
        memcpy(out + k, dig, n);
        k += n;
    } else { /* 0 ≤ x < p ≤ 18 */
        for (long long i = 0; i <= x; i++)
            out[k++] = (size_t)i < n ? dig[i] : '0';
        if ((size_t)x + 1 < n) {
            out[k++] = '.';
            memcpy(out + k, dig + x + 1, n - (size_t)x - 1);
            k += n - (size_t)x - 1;
        }
    }
    out[k] = '\0';
}

void fms_numfmt_key_e10(double m, long long e10, int sig, char out[FMS_NUM_MAX])
{
    if ((e10 > -300 && e10 < 300) || m == 0.0 || !isfinite(m)) {
        fms_numfmt_key(m * pow(10.0, (double)e10), sig, out);
        return;
    }
    if (sig < 1)
        sig = 1;
    if (sig > 17)
        sig = 17;
    /* Rounded here, not by %g on m alone: 9.999999999999996 to 15 digits is 10, i.e. 1e(e10 + 1). */
    char dig[24];
    long long x;
    round_sig(fabsl((long double)m), e10, sig, dig, &x);
    layout_key(m < 0 ? "-" : "", dig, x, sig, out);
}

/* Removes trailing zeros of a fixed-point mantissa ("3.4900" -> "3.49"). */
static void trim_zeros(char *s)
{
    if (strchr(s, '.') == NULL)
        return;
    size_t n = strlen(s);
    while (n > 0 && s[n - 1] == '0')
        s[--n] = '\0';
    if (n > 0 && s[n - 1] == '.')
        s[--n] = '\0';
}

/* Writes sign, mantissa and power of ten as "−3.49·10^-20" (mantissa dropped when it is 1). */
static void write_sci(int negative, double m, long long e10, int sig, char out[FMS_NUM_MAX])
{
    char mant[32];
    snprintf(mant, sizeof mant, "%.*f", sig - 1, m);
    trim_zeros(mant);
    if (strcmp(mant, "10") == 0) { /* rounding carried into the next power */
        snprintf(mant, sizeof mant, "1");
        e10++;
    }
    const char *minus = negative ? "\xE2\x88\x92" : "";
    if (strcmp(mant, "1") == 0)
        snprintf(out, FMS_NUM_MAX, "%s10^%lld", minus, e10);
    else
        snprintf(out, FMS_NUM_MAX, "%s%.24s\xC2\xB7" "10^%lld", minus, mant, e10);
}

void fms_numfmt_text(double x, int sig, char out[FMS_NUM_MAX])
{
    if (sig < 1)
        sig = 1;
    if (sig > 17)
        sig = 17;
    if (!isfinite(x)) {
        fms_numfmt_key(x, sig, out);
        return;
    }
    if (x == 0.0) {
        snprintf(out, FMS_NUM_MAX, "0");
        return;
    }
    double ax = fabs(x);
    char tmp[FMS_NUM_MAX];
    snprintf(tmp, sizeof tmp, "%.*e", sig - 1, ax);
    /* The exponent after rounding to sig digits decides plain or scientific. */
    int e10 = atoi(strchr(tmp, 'e') + 1);
    if (e10 >= -4 && e10 < 6) {
        snprintf(tmp, sizeof tmp, "%.*g", sig, ax);
        snprintf(out, FMS_NUM_MAX, "%s%.40s", x < 0 ? "\xE2\x88\x92" : "", tmp);
        return;
    }
    *strchr(tmp, 'e') = '\0'; /* the mantissa, already rounded to sig digits */
    double m = atof(tmp);
    write_sci(x < 0, m, e10, sig, out);
}

fms_status fms_numfmt_exp10_split(double log_x, double *m, long long *e10)
{
    if (!isfinite(log_x))
        return FMS_EDOM;
    if (fabs(log_x) > 1e15)
        return FMS_ERANGE;
    double v;
    long long e;
    if (fabs(log_x) < 700.0) {
        gsl_sf_result_e10 r;
        int rc = gsl_sf_exp_e10_e(log_x, &r);
        if (rc != GSL_SUCCESS || !isfinite(r.val) || r.val <= 0.0)
            return FMS_EGSL;
        v = r.val;
        e = r.e10;
    } else {
        /* log10 of the value, split into integer and fraction in extended precision. */
        long double y = (long double)log_x / 2.302585092994045684017991454684364208L;
        long double fl = floorl(y);
        v = (double)powl(10.0L, y - fl);
        e = (long long)fl;
    }
    /* Bring the mantissa into [1, 10). */
    while (v >= 10.0) {
        v /= 10.0;
        e++;
    }
    while (v < 1.0) {
        v *= 10.0;
        e--;
    }
    *m = v;
    *e10 = e;
    return FMS_OK;
}

fms_status fms_numfmt_text_exp(double log_x, int sig, char out[FMS_NUM_MAX])
{
    if (!isfinite(log_x))
        return FMS_EDOM;
    if (log_x > -600.0 && log_x < 600.0) {
        fms_numfmt_text(exp(log_x), sig, out);
        return FMS_OK;
    }
    double m;
    long long e10;
    fms_status st = fms_numfmt_exp10_split(log_x, &m, &e10);
    if (st == FMS_ERANGE) {
        /* No digit of the mantissa is known: write e^log_x. */
        char l[FMS_NUM_MAX];
        fms_numfmt_text(log_x, 3, l);
        snprintf(out, FMS_NUM_MAX, "e^%.40s", l);
        return FMS_OK;
    }
    if (st != FMS_OK)
        return st;
    if (sig < 1)
        sig = 1;
    if (sig > 17)
        sig = 17;
    write_sci(0, m, e10, sig, out);
    return FMS_OK;
}

/* ---- numbers with an error bound ---------------------------------------- */

/* Unit roundoff of long double (2^-64 for x87 extended precision). */
#define U_LD (LDBL_EPSILON / 2.0L)

/* log10(e) and ln 10 as unevaluated sums hi + lo, hi rounded to a long double. */
#if LDBL_MANT_DIG == 64
static const long double LOG10E_HI = 4.3429448190325182764547941e-01L, LOG10E_LO = 5.649505751918704781261921e-21L;
static const long double LN10_HI = 2.3025850929940456840363389e+00L, LN10_LO = -1.834740662695737210458948e-20L;
#else
static const long double LOG10E_HI = 0.434294481903251827651128918916605082294397005803666566114L, LOG10E_LO = 0.0L;
static const long double LN10_HI = 2.302585092994045684017991454684364207601101488628772976033L, LN10_LO = 0.0L;
#endif

/* e^log_x = m·10^e with 1 ≤ m < 10, to a few units of U_LD: log_x·log10(e)
 * is formed as a pair (exact product error, base/eft.h), so its fraction keeps
 * its digits however large log_x is.  Returns 0 when |log_x| > 1e18 or it is
 * not finite. */
static int split_log(long double log_x, long double *m, long long *e)
{
    if (!isfinite(log_x) || fabsl(log_x) > 1e18L)
        return 0;
    long double yh = log_x * LOG10E_HI;
    long double yl = fms_eft_prod_err(log_x, LOG10E_HI, yh) + log_x * LOG10E_LO;
    long double fl = floorl(yh);
    long double f = (yh - fl) + yl; /* yh − fl is exact */
    long double zh = f * LN10_HI;
    long double zl = fms_eft_prod_err(f, LN10_HI, zh) + f * LN10_LO;
    long double mm = expl(zh) * (1.0L + zl);
    long long ee = (long long)fl;
    if (mm >= 10.0L) {
        mm /= 10.0L;
        ee++;
    } else if (mm < 1.0L) {
        mm *= 10.0L;
        ee--;
    }
    *m = mm;
    *e = ee;
    return 1;
}

fms_status fms_numfmt_exp10_split_l(long double log_x, double *m, long long *e10)
{
    if (!isfinite(log_x))
        return FMS_EDOM;
    long double mm;
    if (fabsl(log_x) > 1e15L || !split_log(log_x, &mm, e10))
        return FMS_ERANGE;
    *m = (double)mm;
    if (*m >= 10.0) { /* rounding to a double carried */
        *m = 1.0;
        ++*e10;
    }
    return FMS_OK;
}

fms_sci fms_numfmt_sci_from_log(long double log_abs, double log_err, int sign)
{
    fms_sci r = { NAN, 0, INFINITY };
    long double m;
    long long e;
    if (!split_log(log_abs, &m, &e))
        return r;
    r.mant = sign < 0 ? -m : m;
    r.e10 = e;
    /* e^x − 1 ≤ x(1 + x) for 0 ≤ x ≤ 1, which spares expm1l in the common case. */
    const long double le = log_err;
    r.rel_err = (double)((le >= 0.0L && le <= 1e-3L ? le * (1.0L + le) : expm1l(le)) + 8.0L * U_LD);
    return r;
}

/* floor(log10 a) for finite a > 0, or one less near a power of ten (the
 * caller renormalises): from the binary exponent, then the exact powers of
 * ten of the table where they reach; log10l elsewhere. */
static long long decade(long double a)
{
    int b;
    (void)frexpl(a, &b); /* 2^(b−1) ≤ a < 2^b */
    if (b < -55 || b > 90)
        return (long long)floorl(log10l(a));
    /* log10(2) is just above 0.30102999566: e is floor(log10 a) or one less. */
    long long e = (long long)floor((b - 1) * 0.30102999566398119521);
    if (e >= -1 && e + 1 <= 27 && a >= POW10_LD[e + 1])
        e++;
    else if (e < -1 && a * POW10_LD[-(e + 1)] >= 1.0L)
        e++;
    return e;
}

fms_sci fms_numfmt_sci_from_ld(long double x, double rel_err)
{
    fms_sci r = { 0.0L, 0, 0.0 };
    if (x == 0.0L)
        return r;
    if (!isfinite(x)) {
        r.mant = NAN;
        r.rel_err = INFINITY;
        return r;
    }
    long long e = decade(fabsl(x));
    long double m = x;
    int steps = 0;
    /* 10^-e in steps that stay inside the long double range; 10^k is exact for |k| ≤ 27.
     * The common case, |e| ≤ 18, is one multiplication or division by a table entry. */
    if (e >= -18 && e <= 18) {
        m = e >= 0 ? x / POW10_LD[e] : x * POW10_LD[-e];
        steps = e != 0;
    } else {
        for (long long rest = -e; rest != 0; steps++) {
            long long step = rest > 4000 ? 4000 : rest < -4000 ? -4000 : rest;
            m *= powl(10.0L, (long double)step);
            rest -= step;
        }
    }
    if (fabsl(m) >= 10.0L) {
        m /= 10.0L;
        e++;
    } else if (fabsl(m) < 1.0L) {
        m *= 10.0L;
        e--;
    }
    r.mant = m;
    r.e10 = e;
    r.rel_err = rel_err + (double)((2.0L * steps + 2.0L) * U_LD);
    return r;
}

double fms_numfmt_sci_to_double(const fms_sci *x)
{
    if (isnan(x->mant) || x->mant == 0.0L)
        return (double)x->mant;
    if (x->e10 > 310)
        return x->mant > 0 ? INFINITY : -INFINITY;
    if (x->e10 < -330)
        return x->mant > 0 ? 0.0 : -0.0;
    return (double)(x->mant * powl(10.0L, (long double)x->e10));
}

/* Compares the roundings of a and b (positive) times 10^e10 to d digits. */
static int same_rounding(long double a, long double b, long long e10, int d)
{
    char da[24], db[24];
    long long xa, xb;
    round_sig(a, e10, d, da, &xa);
    round_sig(b, e10, d, db, &xb);
    return xa == xb && strcmp(da, db) == 0;
}

int fms_numfmt_sci_digits(const fms_sci *x, int max_sig)
{
    if (max_sig < 1)
        max_sig = 1;
    if (max_sig > 18)
        max_sig = 18;
    if (isnan(x->mant) || x->mant == 0.0L || !(x->rel_err < 1.0))
        return 0;
    if (x->rel_err == 0.0)
        return max_sig;
    /* A little slack for the rounding of lo and hi themselves. */
    long double a = fabsl(x->mant);
    long double r = (long double)x->rel_err * (1.0L + 1e-9L) + 4.0L * U_LD;
    long double lo = a * (1.0L - r), hi = a * (1.0L + r);
    /* Skipped: the d whose spacing of roundings in hi's decade is clearly below
     * hi − lo, for then a point of rounding up lies strictly inside [lo, hi]. */
    const long double width = hi - lo, top = hi >= 10.0L ? 10.0L : 1.0L;
    int d = max_sig;
    while (d > 1 && width > 1.01L * top / POW10_LD[d - 1])
        d--;
    for (; d >= 1; d--)
        if (same_rounding(lo, hi, x->e10, d))
            return d;
    return 0;
}

/* The digits to print (at least one, see numfmt.h) and their count; 0 after
 * writing "0" or "nan" into out when there are none. */
static int sci_round(const fms_sci *x, int max_sig, char dig[24], long long *e, char out[FMS_NUM_MAX], int *known)
{
    if (isnan(x->mant) || x->mant == 0.0L || !(x->rel_err < 1.0)) {
        snprintf(out, FMS_NUM_MAX, isnan(x->mant) ? "nan" : "0");
        *known = 0;
        return 0;
    }
    int d = fms_numfmt_sci_digits(x, max_sig);
    *known = d;
    if (d == 0)
        d = 1;
    round_sig(fabsl(x->mant), x->e10, d, dig, e);
    return d;
}

int fms_numfmt_key_sci(const fms_sci *x, int max_sig, char out[FMS_NUM_MAX])
{
    char dig[24];
    long long e;
    int known = 0;
    int d = sci_round(x, max_sig, dig, &e, out, &known);
    if (d > 0)
        layout_key(x->mant < 0 ? "-" : "", dig, e, d, out);
    return known;
}

void fms_numfmt_text_sci(const fms_sci *x, int sig, char out[FMS_NUM_MAX])
{
    char dig[24];
    long long e;
    int known;
    int d = sci_round(x, sig, dig, &e, out, &known);
    if (d == 0)
        return;
    const char *minus = x->mant < 0 ? "\xE2\x88\x92" : "";
    if (e >= -4 && e < 6 && e < d) {
        layout_key(minus, dig, e, d, out);
        return;
    }
    size_t n = strlen(dig);
    while (n > 1 && dig[n - 1] == '0')
        dig[--n] = '\0';
    if (n == 1 && dig[0] == '1')
        snprintf(out, FMS_NUM_MAX, "%s10^%lld", minus, e);
    else if (n == 1)
        snprintf(out, FMS_NUM_MAX, "%s%c\xC2\xB7" "10^%lld", minus, dig[0], e);
    else
        snprintf(out, FMS_NUM_MAX, "%s%c.%.20s\xC2\xB7" "10^%lld", minus, dig[0], dig + 1, e);
}

/* ---- exact products in decimal ------------------------------------------ */

/* A decimal number: value = ±digits·10^exp, digits without leading or trailing zeros (n = 0 for zero). */
typedef struct dec {
    char dig[40];
    int n, neg;
    long exp;
} dec;

/* The decimal of at most 18 significant digits nearest to v: the one v was parsed from. */
static void dec_from_ld(long double v, dec *d)
{
    memset(d, 0, sizeof *d);
    if (v == 0.0L)
        return;
    char buf[48];
    snprintf(buf, sizeof buf, "%.17Le", v);
    const char *p = buf;
    d->neg = *p == '-';
    for (; *p != '\0' && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9' && d->n < 18)
            d->dig[d->n++] = *p;
    long x = *p == 'e' ? strtol(p + 1, NULL, 10) : 0;
    while (d->n > 1 && d->dig[d->n - 1] == '0')
        d->n--;
    d->exp = x - (d->n - 1);
}

/* r = a·b, schoolbook. */
static void dec_mul(const dec *a, const dec *b, dec *r)
{
    memset(r, 0, sizeof *r);
    if (a->n == 0 || b->n == 0)
        return;
    int acc[40] = { 0 };
    for (int i = 0; i < a->n; i++)
        for (int j = 0; j < b->n; j++)
            acc[i + j + 1] += (a->dig[i] - '0') * (b->dig[j] - '0');
    int len = a->n + b->n;
    for (int k = len - 1; k > 0; k--) {
        acc[k - 1] += acc[k] / 10;
        acc[k] %= 10;
    }
    int first = acc[0] == 0 ? 1 : 0, last = len - 1;
    while (last > first && acc[last] == 0)
        last--;
    for (int k = first; k <= last; k++)
        r->dig[r->n++] = (char)('0' + acc[k]);
    r->neg = a->neg != b->neg;
    r->exp = a->exp + b->exp + (len - 1 - last);
}

int fms_numfmt_is_product(long double x, long double a, long double b)
{
    dec dx, da, db, dp;
    dec_from_ld(x, &dx);
    dec_from_ld(a, &da);
    dec_from_ld(b, &db);
    dec_mul(&da, &db, &dp);
    if (dx.n == 0 || dp.n == 0)
        return dx.n == dp.n;
    return dx.neg == dp.neg && dx.n == dp.n && dx.exp == dp.exp && memcmp(dx.dig, dp.dig, (size_t)dx.n) == 0;
}
