/* figtext.c — see figtext.h. */
#include "plot/figtext.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PI 3.14159265358979323846
#define MINUS "\xE2\x88\x92" /* U+2212 */

/* ---------------------------------------------------------------- numbers */

/* Superscript digits of e (with U+2212) as plain text for the SUP markup. */
static void exponent_text(long e, char *out, size_t size)
{
    if (e < 0)
        snprintf(out, size, MINUS "%ld", -e);
    else
        snprintf(out, size, "%ld", e);
}

/* "%.*g"-like with sig digits but never an exponent: the shortest decimal
 * of v with at most sig significant digits (|v| in [1e-3, 1e5)). */
static void plain_decimal(double v, int sig, char *out, size_t size)
{
    const int mag = (int)floor(log10(fabs(v)));
    int decimals = sig - 1 - mag;
    if (decimals < 0)
        decimals = 0;
    char tmp[48];
    snprintf(tmp, sizeof tmp, "%.*f", decimals, fabs(v));
    if (strchr(tmp, '.')) { /* trailing zeros, then a bare point */
        size_t n = strlen(tmp);
        while (n > 0 && tmp[n - 1] == '0')
            tmp[--n] = '\0';
        if (n > 0 && tmp[n - 1] == '.')
            tmp[--n] = '\0';
    }
    snprintf(out, size, "%s%s", v < 0 ? MINUS : "", tmp);
}

void fms_figtext_number(double v, int sig, char out[FMS_FIGTEXT_MAX])
{
    if (sig < 1)
        sig = 1;
    if (sig > 15)
        sig = 15;
    if (isnan(v)) {
        snprintf(out, FMS_FIGTEXT_MAX, "nan");
        return;
    }
    if (isinf(v)) {
        snprintf(out, FMS_FIGTEXT_MAX, "%s\xE2\x88\x9E", v < 0 ? MINUS : "");
        return;
    }
    if (v == 0.0) {
        snprintf(out, FMS_FIGTEXT_MAX, "0");
        return;
    }
    const double a = fabs(v);
    char m[48];
    snprintf(m, sizeof m, "%.*e", sig - 1, a);
    /* The rounded mantissa decides: 99999.7 with 3 digits is 1.00e+05. */
    const long e = strtol(strchr(m, 'e') + 1, NULL, 10);
    if (e >= -3 && e < 5) {
        plain_decimal(v, sig, out, FMS_FIGTEXT_MAX);
        return;
    }
    *strchr(m, 'e') = '\0';
    if (strchr(m, '.')) {
        size_t n = strlen(m);
        while (m[n - 1] == '0')
            m[--n] = '\0';
        if (m[n - 1] == '.')
            m[--n] = '\0';
    }
    char ex[24];
    exponent_text(e, ex, sizeof ex);
    if (strcmp(m, "1") == 0)
        snprintf(out, FMS_FIGTEXT_MAX, "%s10" FMS_FIGTEXT_SUP("%s"), v < 0 ? MINUS : "", ex);
    else
        snprintf(out, FMS_FIGTEXT_MAX, "%s%s\xC2\xB7" "10" FMS_FIGTEXT_SUP("%s"), v < 0 ? MINUS : "", m, ex);
}

/* ------------------------------------------------------------------- text */

typedef enum { TEXT_MEASURE, TEXT_SHOW, TEXT_PATH } text_mode;

/* The next run of s: plain, subscript (1) or superscript (2); its bytes in seg. */
static const char *next_run(const char *s, char *seg, size_t size, int *kind)
{
    size_t n = 0;
    *kind = 0;
    if (s[0] == FMS_FIGTEXT_SUB_ON || s[0] == FMS_FIGTEXT_SUP_ON) {
        const char off = s[0] == FMS_FIGTEXT_SUB_ON ? FMS_FIGTEXT_SUB_OFF : FMS_FIGTEXT_SUP_OFF;
        *kind = s[0] == FMS_FIGTEXT_SUB_ON ? 1 : 2;
        const char *close = strchr(s + 1, off);
        size_t len = close ? (size_t)(close - s - 1) : strlen(s + 1);
        n = len < size - 1 ? len : size - 1;
        memcpy(seg, s + 1, n);
        seg[n] = '\0';
        return close ? close + 1 : s + 1 + len;
    }
    while (s[n] && s[n] != FMS_FIGTEXT_SUB_ON && s[n] != FMS_FIGTEXT_SUP_ON && n < size - 1)
        n++;
    /* A long run is cut at a character boundary, never inside one. */
    while (s[n] && n > 1 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    memcpy(seg, s, n);
    seg[n] = '\0';
    return s + n;
}

static double text_run(cairo_t *cr, double size, const char *s, text_mode mode, double x, double y)
{
    double adv = 0.0;
    char seg[256];
    while (*s) {
        int kind;
        s = next_run(s, seg, sizeof seg, &kind);
        const double fs = kind ? 0.72 * size : size;
        const double dy = kind == 1 ? 0.22 * size : kind == 2 ? -0.42 * size : 0.0;
        cairo_set_font_size(cr, fs);
        cairo_text_extents_t te;
        cairo_text_extents(cr, seg, &te);
        if (mode != TEXT_MEASURE) {
            cairo_move_to(cr, x + adv, y + dy);
            if (mode == TEXT_SHOW)
                cairo_show_text(cr, seg);
            else
                cairo_text_path(cr, seg);
        }
        adv += te.x_advance;
    }
    return adv;
}

double fms_figtext_width(cairo_t *cr, double size, const char *s)
{
    return text_run(cr, size, s, TEXT_MEASURE, 0, 0);
}

void fms_figtext_at(cairo_t *cr, double size, const char *s, double x, double y, double ha, double va, int halo)
{
    double w = fms_figtext_width(cr, size, s);
    double x0 = x - ha * w, base = y + (1.0 - va) * FMS_FIGTEXT_CAP * size;
    if (halo) {
        cairo_save(cr);
        cairo_new_path(cr);
        text_run(cr, size, s, TEXT_PATH, x0, base);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_set_line_width(cr, size * 0.22);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke_preserve(cr);
        cairo_restore(cr);
        cairo_fill(cr);
    } else {
        text_run(cr, size, s, TEXT_SHOW, x0, base);
    }
    cairo_new_path(cr);
}

void fms_figtext_up(cairo_t *cr, double size, const char *s, double x, double y)
{
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_rotate(cr, -PI / 2);
    fms_figtext_at(cr, size, s, 0, 0, 0.5, 0.5, 0);
    cairo_restore(cr);
}

/* ------------------------------------------------------------------ ticks */

double fms_figtext_tick_value(const fms_figtext_ticks *t, long i)
{
    return (double)i * t->step;
}

void fms_figtext_tick_label(const fms_figtext_ticks *t, long i, char out[FMS_FIGTEXT_MAX])
{
    char tmp[48];
    const double v = fms_figtext_tick_value(t, i) / pow(10.0, t->exp10);
    snprintf(tmp, sizeof tmp, "%.*f", t->decimals, v);
    int zero = 1;
    for (const char *p = tmp; *p; p++)
        if (*p >= '1' && *p <= '9')
            zero = 0;
    if (tmp[0] == '-' && !zero)
        snprintf(out, FMS_FIGTEXT_MAX, MINUS "%s", tmp + 1);
    else
        snprintf(out, FMS_FIGTEXT_MAX, "%s", tmp[0] == '-' ? tmp + 1 : tmp);
}

void fms_figtext_ticks_suffix(const fms_figtext_ticks *t, char out[FMS_FIGTEXT_MAX])
{
    char ex[24];
    exponent_text(t->exp10, ex, sizeof ex);
    if (t->exp10 == 0)
        out[0] = '\0';
    else
        snprintf(out, FMS_FIGTEXT_MAX, " (\xC3\x97" "10" FMS_FIGTEXT_SUP("%s") ")", ex);
}

/* The 1-2-5 steps in increasing order, starting at or below range/100. */
static double step_from_index(double range, int i)
{
    static const double mant[] = { 1, 2, 5 };
    double base = pow(10.0, floor(log10(range / 100.0)));
    return base * mant[i % 3] * pow(10.0, i / 3);
}

static void ticks_make(cairo_t *cr, double size, double lo, double hi, double step, fms_figtext_ticks *t)
{
    t->lo = lo;
    t->hi = hi;
    t->step = step;
    const double slack = 1e-9 * (hi - lo);
    t->first = (long)ceil((lo - slack) / step);
    t->last = (long)floor((hi + slack) / step);
    const double big = fmax(fabs(lo), fabs(hi));
    const int decimals = step >= 1.0 ? 0 : (int)ceil(-log10(step) - 1e-9);
    t->exp10 = decimals > 4 || big >= 1e5 ? (int)floor(log10(big)) : 0;
    const double scaled = step / pow(10.0, t->exp10);
    t->decimals = scaled >= 1.0 ? 0 : (int)ceil(-log10(scaled) - 1e-9);
    t->max_width = 0.0;
    for (long i = t->first; i <= t->last; i++) {
        char buf[FMS_FIGTEXT_MAX];
        fms_figtext_tick_label(t, i, buf);
        t->max_width = fmax(t->max_width, fms_figtext_width(cr, size, buf));
    }
}

void fms_figtext_ticks_choose(cairo_t *cr, double size, double lo, double hi, double length, int horizontal,
                              int max_ticks, fms_figtext_ticks *t)
{
    const double range = hi - lo;
    for (int i = 0; i < 30; i++) {
        double step = step_from_index(range, i);
        if (range / step > max_ticks)
            continue;
        ticks_make(cr, size, lo, hi, step, t);
        double need = horizontal ? t->max_width + 1.2 * size : 2.2 * size;
        if (step / range * length >= need)
            return;
    }
    /* Nothing fits (a tiny figure): the ends alone. */
    ticks_make(cr, size, lo, hi, range, t);
}

/* -------------------------------------------------------------- spreading */

typedef struct label_ref {
    double anchor;
    size_t i;
} label_ref;

static int by_anchor(const void *a, const void *b)
{
    const label_ref *x = a, *y = b;
    if (x->anchor != y->anchor)
        return x->anchor < y->anchor ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

/* Pool adjacent violators: z (non-decreasing) closest to d in least squares.
 * blk and sum are n-long scratch (block start index and block sum). */
static void isotonic(size_t n, const double *d, double *z, size_t *blk, double *sum)
{
    size_t nb = 0;
    for (size_t i = 0; i < n; i++) {
        blk[nb] = i;
        sum[nb] = d[i];
        nb++;
        while (nb > 1) {
            size_t na = blk[nb - 1] - blk[nb - 2], nc = i + 1 - blk[nb - 1];
            if (sum[nb - 2] / (double)na <= sum[nb - 1] / (double)nc)
                break;
            sum[nb - 2] += sum[nb - 1];
            nb--;
        }
    }
    for (size_t b = 0; b < nb; b++) {
        size_t end = b + 1 < nb ? blk[b + 1] : n;
        for (size_t i = blk[b]; i < end; i++)
            z[i] = sum[b] / (double)(end - blk[b]);
    }
}

int fms_figtext_spread(size_t n, const double *anchor, const double *width, double gap, double lo, double hi,
                       double *left)
{
    if (n == 0)
        return 1;
    label_ref *r = malloc(n * sizeof *r);
    double *buf = malloc(4 * n * sizeof *buf);
    size_t *blk = malloc(n * sizeof *blk);
    int ok = r && buf && blk;
    double *d = buf, *z = buf + n, *off = buf + 2 * n, *sum = buf + 3 * n;
    if (ok) {
        for (size_t i = 0; i < n; i++)
            r[i] = (label_ref){ anchor[i], i };
        qsort(r, n, sizeof *r, by_anchor);
        /* In anchor order, label k's left edge is z_k + off_k with z non-decreasing. */
        double acc = 0.0;
        for (size_t k = 0; k < n; k++) {
            off[k] = acc;
            acc += width[r[k].i] + gap;
            d[k] = r[k].anchor - 0.5 * width[r[k].i] - off[k];
        }
        const double zmax = hi - off[n - 1] - width[r[n - 1].i];
        ok = zmax >= lo;
        if (ok) {
            isotonic(n, d, z, blk, sum);
            for (size_t k = 0; k < n; k++)
                left[r[k].i] = fmin(fmax(z[k], lo), zmax) + off[k];
        }
    }
    free(r);
    free(buf);
    free(blk);
    return ok;
}
