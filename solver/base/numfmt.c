/* numfmt.c — see numfmt.h. */
#include "base/numfmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_exp.h>

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

void fms_numfmt_key_e10(double m, long long e10, int sig, char out[FMS_NUM_MAX])
{
    if (e10 > -300 && e10 < 300) {
        fms_numfmt_key(m * pow(10.0, (double)e10), sig, out);
        return;
    }
    char mant[FMS_NUM_MAX];
    fms_numfmt_key(m, sig, mant);
    mant[24] = '\0'; /* a mantissa of 17 digits fits; the cap tells the compiler so */
    snprintf(out, FMS_NUM_MAX, "%.24se%lld", mant, e10);
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
