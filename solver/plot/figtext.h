/* figtext.h — text on the figures of plot.h: a markup for sub- and
 * superscripts, numbers as the figures write them, axis ticks, and labels
 * moved apart along a line.
 *
 * Markup: FMS_FIGTEXT_SUB("t") draws t as a subscript, FMS_FIGTEXT_SUP("−8")
 * as a superscript.  Control bytes mark them, so that text read from an
 * exercise file (which may hold '_' or '^') is drawn as it is.
 *
 * Numbers (fms_figtext_number): plain decimals for 10^−3 ≤ |v| < 10^5 with
 * at most sig significant digits and no trailing zeros ("0.0367", "1100",
 * "−2.5"), otherwise mantissa·10^exponent with a real superscript
 * ("1.1·10³" as markup, "10⁻⁸" when the mantissa is 1), never C's "1.1e+03";
 * minus signs are U+2212 and zero is "0".
 *
 * Ticks: steps of 1, 2 or 5 times a power of ten, the smallest whose labels
 * keep a gap along the axis.  When the labels would need more than four
 * decimals or reach 10^5, the axis shows v/10^e with a common exponent e,
 * the power of ten of the largest |v| (so that ±2·10⁻⁸ reads −2 … 2, with
 * "×10⁻⁸" beside the axis's title).
 *
 * Spreading (fms_figtext_spread): n labels of widths w_i wanted centred on
 * anchors a_i (in any order) are moved apart along a line so that, in the
 * anchors' order, they keep a gap and stay within [lo, hi], with the least
 * sum of squared moves: the isotonic regression of the wanted positions
 * (pool adjacent violators) clipped to the bounds.  It fails (returns 0)
 * when the labels with their gaps are longer than hi − lo.
 */
#ifndef FMS_FIGTEXT_H
#define FMS_FIGTEXT_H

#include <stddef.h>

#include <cairo.h>

#define FMS_FIGTEXT_SUB_ON '\x01'
#define FMS_FIGTEXT_SUB_OFF '\x02'
#define FMS_FIGTEXT_SUP_ON '\x03'
#define FMS_FIGTEXT_SUP_OFF '\x04'
#define FMS_FIGTEXT_SUB(s) "\x01" s "\x02"
#define FMS_FIGTEXT_SUP(s) "\x03" s "\x04"

/* A number's text (with markup) fits in this many bytes. */
#define FMS_FIGTEXT_MAX 64

/* The height of digits and capitals in DejaVu/sans fonts, per unit of size:
 * text is centred on it so that labels sit in the middle of their ticks. */
#define FMS_FIGTEXT_CAP 0.73

/* v as the figures write it (above); sig in 1..15.  Non-finite v: "nan",
 * "∞", "−∞".  Cannot fail. */
void fms_figtext_number(double v, int sig, char out[FMS_FIGTEXT_MAX]);

/* Drawing with markup in the current font face of cr.  width: the advance
 * of s at size; at: s with its left/centre/right (ha = 0, 0.5, 1) at x and
 * its cap top, middle or baseline (va = 0, 0.5, 1) at y, with a white
 * outline first when halo; up: rotated a quarter turn counter-clockwise,
 * centred at (x, y).  They cannot fail (cairo keeps its own error state). */
double fms_figtext_width(cairo_t *cr, double size, const char *s);
void fms_figtext_at(cairo_t *cr, double size, const char *s, double x, double y, double ha, double va, int halo);
void fms_figtext_up(cairo_t *cr, double size, const char *s, double x, double y);

/* An axis's ticks: values i·step for first ≤ i ≤ last, each written as
 * i·step/10^exp10 with `decimals` decimals; max_width is the widest label. */
typedef struct fms_figtext_ticks {
    double lo, hi, step;
    long first, last;
    int decimals, exp10;
    double max_width;
} fms_figtext_ticks;

/* The ticks of [lo, hi] (lo < hi) along an axis `length` device units long
 * (horizontal: labels need their width and a gap; vertical: twice the font
 * size), at most max_ticks of them; the two ends alone when nothing fits.
 * Cannot fail. */
void fms_figtext_ticks_choose(cairo_t *cr, double size, double lo, double hi, double length, int horizontal,
                              int max_ticks, fms_figtext_ticks *t);

/* The value of tick i and its label (markup-free: digits, '.', U+2212). */
double fms_figtext_tick_value(const fms_figtext_ticks *t, long i);
void fms_figtext_tick_label(const fms_figtext_ticks *t, long i, char out[FMS_FIGTEXT_MAX]);

/* The text to add to the axis's title for a common exponent:
 * " (×10" SUP("e") ")", or "" when exp10 is 0. */
void fms_figtext_ticks_suffix(const fms_figtext_ticks *t, char out[FMS_FIGTEXT_MAX]);

/* Moves n labels apart (above): left[i] receives the left edge of label i.
 * Returns 1, or 0 (left untouched) when they cannot fit.  Uses O(n) scratch
 * from malloc; returns 0 when that fails too. */
int fms_figtext_spread(size_t n, const double *anchor, const double *width, double gap, double lo, double hi,
                       double *left);

#endif /* FMS_FIGTEXT_H */
