/* plot.c — see plot.h for the figures, their ranges and the clip level.
 *
 * Layout: every size derives from one scale s = min(W/1200, H/800), so the
 * default figure has 17 px tick labels; margins are measured from the text
 * they hold (cairo's toy text API), tick steps are the smallest 1-2-5 steps
 * whose labels keep a gap, so nothing overlaps or leaves the page at any size.
 */
#include "plot/plot.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <fontconfig/fontconfig.h>

#include "model/engine.h"
#include "base/numfmt.h"
#include "base/utf8.h"
#include "dynamics/kernel.h"
#include "dynamics/sampler.h"

#define DEFAULT_WIDTH 1200
#define DEFAULT_HEIGHT 800
#define DEFAULT_CURVES 24
#define DEFAULT_PARTICLES 4000
#define DEFAULT_STEPS 100
#define DEFAULT_SEED 1
/* |ε| ≤ 3 holds for 99.7% of the noise: the x_t range must show it. */
#define NOISE_REACH 3.0
#define MIN_AREA 40.0
#define SAMPLE_BINS 60
/* π, which C11 does not define. */
#define PI 3.14159265358979323846

/* ---------------------------------------------------------------- options */

void fms_plot_options_init(fms_plot_opts *opt)
{
    opt->width = DEFAULT_WIDTH;
    opt->height = DEFAULT_HEIGHT;
    opt->trajectories = -1;
    opt->steps = DEFAULT_STEPS;
    opt->seed = DEFAULT_SEED;
    opt->clip = 0.0;
    opt->progress = NULL;
    opt->progress_ctx = NULL;
}

fms_status fms_plot_options_check(const fms_plot_opts *opt, fms_error *err)
{
    if (opt == NULL)
        return fms_error_set(err, FMS_EINVAL, 0, "no plot options");
    if (opt->width < FMS_PLOT_MIN_SIDE || opt->width > FMS_PLOT_MAX_SIDE || opt->height < FMS_PLOT_MIN_SIDE ||
        opt->height > FMS_PLOT_MAX_SIDE)
        return fms_error_set(err, FMS_EINVAL, 0, "size %dx%d is out of range (width and height %d to %d)",
                             opt->width, opt->height, FMS_PLOT_MIN_SIDE, FMS_PLOT_MAX_SIDE);
    if (opt->trajectories < -1 || opt->trajectories > FMS_PLOT_MAX_TRAJECTORIES)
        return fms_error_set(err, FMS_EINVAL, 0, "%ld trajectories is out of range (0 to %d)", opt->trajectories,
                             FMS_PLOT_MAX_TRAJECTORIES);
    if (opt->steps < 1 || opt->steps > FMS_PLOT_MAX_STEPS)
        return fms_error_set(err, FMS_EINVAL, 0, "%ld Euler steps is out of range (1 to %d)", opt->steps,
                             FMS_PLOT_MAX_STEPS);
    if (!isfinite(opt->clip) || opt->clip < 0.0)
        return fms_error_set(err, FMS_EINVAL, 0, "clip level %g must be a positive number (or 0 for automatic)",
                             opt->clip);
    return FMS_OK;
}

static const char *const kind_names[] = { "field", "posterior", "samples" };

fms_status fms_plot_kind_parse(const char *name, fms_plot_kind *out, fms_error *err)
{
    for (size_t k = 0; name && k < sizeof kind_names / sizeof kind_names[0]; k++) {
        if (strcmp(name, kind_names[k]) == 0) {
            *out = (fms_plot_kind)k;
            return FMS_OK;
        }
    }
    return fms_error_set(err, FMS_EINVAL, 0, "'%s' is not a figure (expected field, posterior or samples)",
                         name ? name : "");
}

const char *fms_plot_kind_name(fms_plot_kind kind)
{
    return (unsigned)kind < sizeof kind_names / sizeof kind_names[0] ? kind_names[kind] : "?";
}

static const struct {
    const char *ext;
    fms_plot_format format;
} formats[] = {
    { ".png", FMS_PLOT_PNG },
    { ".svg", FMS_PLOT_SVG },
    { ".pdf", FMS_PLOT_PDF },
};

fms_status fms_plot_format_from_path(const char *path, fms_plot_format *out, fms_error *err)
{
    if (path == NULL || path[0] == '\0')
        return fms_error_set(err, FMS_EINVAL, 0, "no output file name");
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    for (size_t i = 0; dot && dot != base && i < sizeof formats / sizeof formats[0]; i++) {
        if (strcasecmp(dot, formats[i].ext) == 0) {
            *out = formats[i].format;
            return FMS_OK;
        }
    }
    return fms_error_set(err, FMS_EINVAL, 0, "%s: unknown file type (the name must end in .png, .svg or .pdf)",
                         path);
}

/* ------------------------------------------------------------------ text */

/* A tiny markup for labels: "x" SUB("t") draws x with a subscript t.
 * Control bytes mark it, so that titles and labels read from an exercise
 * file (which may hold '_') are drawn as they are. */
#define SUB_ON '\x01'
#define SUB_OFF '\x02'
#define SUB(s) "\x01" s "\x02"

typedef enum { TEXT_MEASURE, TEXT_SHOW, TEXT_PATH } text_mode;

static double text_run(cairo_t *cr, double size, const char *s, text_mode mode, double x, double y)
{
    double adv = 0.0;
    char seg[256];
    while (*s) {
        int sub = 0;
        size_t n = 0;
        if (s[0] == SUB_ON) {
            const char *close = strchr(s + 1, SUB_OFF);
            size_t len = close ? (size_t)(close - s - 1) : strlen(s + 1);
            n = len < sizeof seg - 1 ? len : sizeof seg - 1;
            memcpy(seg, s + 1, n);
            s = close ? close + 1 : s + 1 + len;
            sub = 1;
        } else {
            while (s[n] && s[n] != SUB_ON && n < sizeof seg - 1)
                n++;
            /* A long run is cut at a character boundary, never inside one. */
            while (s[n] && n > 1 && ((unsigned char)s[n] & 0xC0) == 0x80)
                n--;
            memcpy(seg, s, n);
            s += n;
        }
        seg[n] = '\0';
        const double fs = sub ? 0.72 * size : size;
        const double dy = sub ? 0.22 * size : 0.0;
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

static double text_width(cairo_t *cr, double size, const char *s)
{
    return text_run(cr, size, s, TEXT_MEASURE, 0, 0);
}

/* The height of digits and capitals in DejaVu/sans fonts, per unit of size:
 * text is centred on it so that labels sit in the middle of their ticks. */
#define CAP 0.73

/* Draws s with its left/centre/right (ha = 0, 0.5, 1) at x and its cap top,
 * middle or baseline (va = 0, 0.5, 1) at y.  halo draws a white outline first. */
static void text_at(cairo_t *cr, double size, const char *s, double x, double y, double ha, double va, int halo)
{
    double w = text_width(cr, size, s);
    double x0 = x - ha * w, base = y + (1.0 - va) * CAP * size;
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

/* Rotated a quarter turn counter-clockwise, centred at (x, y). */
static void text_up(cairo_t *cr, double size, const char *s, double x, double y)
{
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_rotate(cr, -PI / 2);
    text_at(cr, size, s, 0, 0, 0.5, 0.5, 0);
    cairo_restore(cr);
}

/* "%.*f" with U+2212 for the minus sign and no "-0". */
static void format_tick(double v, int decimals, char out[48])
{
    char tmp[40];
    snprintf(tmp, sizeof tmp, "%.*f", decimals, v);
    int zero = 1;
    for (const char *p = tmp; *p; p++)
        if (*p >= '1' && *p <= '9')
            zero = 0;
    if (tmp[0] == '-' && !zero)
        snprintf(out, 48, "\xE2\x88\x92%s", tmp + 1);
    else
        snprintf(out, 48, "%s", tmp[0] == '-' ? tmp + 1 : tmp);
}

/* ----------------------------------------------------------------- ticks */

typedef struct ticks {
    double lo, hi, step;
    long first, last;  /* tick values are i·step for first ≤ i ≤ last */
    int decimals;
    double max_width;  /* the widest label */
} ticks;

/* The 1-2-5 steps in increasing order, starting at or below range/100. */
static double step_from_index(double range, int i)
{
    static const double mant[] = { 1, 2, 5 };
    double base = pow(10.0, floor(log10(range / 100.0)));
    return base * mant[i % 3] * pow(10.0, i / 3);
}

static void ticks_make(cairo_t *cr, double size, double lo, double hi, double step, ticks *t)
{
    t->lo = lo;
    t->hi = hi;
    t->step = step;
    const double slack = 1e-9 * (hi - lo);
    t->first = (long)ceil((lo - slack) / step);
    t->last = (long)floor((hi + slack) / step);
    t->decimals = step >= 1.0 ? 0 : (int)ceil(-log10(step) - 1e-9);
    t->max_width = 0.0;
    for (long i = t->first; i <= t->last; i++) {
        char buf[48];
        format_tick((double)i * step, t->decimals, buf);
        double w = text_width(cr, size, buf);
        if (w > t->max_width)
            t->max_width = w;
    }
}

/* The smallest step whose labels are at least `gap` apart along an axis of
 * `length` device units (horizontal: labels as wide as they are; vertical:
 * as tall as the font), with at most max_ticks ticks. */
static void ticks_choose(cairo_t *cr, double size, double lo, double hi, double length, int horizontal,
                         int max_ticks, ticks *t)
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

/* ------------------------------------------------------------ colour maps */

typedef struct rgb {
    double r, g, b;
} rgb;

/* ColorBrewer RdBu, reversed: blue for negative velocity, red for positive. */
static const unsigned diverging_hex[] = { 0x053061, 0x2166ac, 0x4393c3, 0x92c5de, 0xd1e5f0, 0xf7f7f7,
                                          0xfddbc7, 0xf4a582, 0xd6604d, 0xb2182b, 0x67001f };
/* viridis at nine evenly spaced stops. */
static const unsigned sequential_hex[] = { 0x440154, 0x472d7b, 0x3b528b, 0x2c728e, 0x21918c,
                                           0x28ae80, 0x5ec962, 0xaddc30, 0xfde725 };

static rgb cmap(const unsigned *hex, size_t n, double f)
{
    if (!(f > 0.0))
        f = 0.0; /* also NaN */
    if (f > 1.0)
        f = 1.0;
    double pos = f * (double)(n - 1);
    size_t i = (size_t)pos;
    if (i >= n - 1)
        i = n - 2;
    double a = pos - (double)i;
    rgb c;
    c.r = ((1 - a) * ((hex[i] >> 16) & 0xff) + a * ((hex[i + 1] >> 16) & 0xff)) / 255.0;
    c.g = ((1 - a) * ((hex[i] >> 8) & 0xff) + a * ((hex[i + 1] >> 8) & 0xff)) / 255.0;
    c.b = ((1 - a) * (hex[i] & 0xff) + a * (hex[i + 1] & 0xff)) / 255.0;
    return c;
}

/* The colour of value v on the figure's map: diverging in [−clip, clip] for
 * the field, sequential in [0, 1] for the posterior. */
static rgb value_colour(fms_plot_kind kind, double v, double clip)
{
    if (kind == FMS_PLOT_FIELD)
        return cmap(diverging_hex, sizeof diverging_hex / sizeof diverging_hex[0], 0.5 + 0.5 * v / clip);
    return cmap(sequential_hex, sizeof sequential_hex / sizeof sequential_hex[0], v);
}

/* ---------------------------------------------------------------- layout */

typedef struct fig {
    const fms_exset *set;
    fms_plot_kind kind;
    fms_plot_opts opt;
    long count;            /* trajectories (field) or particles (samples) */
    double W, H, s;
    double fs_tick, fs_label, fs_title, fs_note, pad, tick_len, lw;
    fms_plot_frame f;
    ticks xt, yt, ct;      /* x, y and colour-bar ticks */
    double cb_left, cb_width, cb_top, cb_bottom, cb_tri;
    char title[512];
    char cb_title[256];
    /* Progress, in engine calls: the heatmap's nodes plus the Euler steps. */
    double work_total, work_done, work_reported;
} fig;

static void progress_add(fig *g, double calls)
{
    g->work_done += calls;
    if (g->opt.progress && g->work_total > 0 &&
        (g->work_done - g->work_reported >= 0.005 * g->work_total || g->work_done >= g->work_total)) {
        g->work_reported = g->work_done;
        g->opt.progress(g->opt.progress_ctx, fmin(1.0, g->work_done / g->work_total));
    }
}

/* The titles; the set's name is cut to its first `keep` bytes (at a
 * character boundary) and marked with an ellipsis when it is longer. */
static void fig_title(fig *g, size_t keep)
{
    const fms_exset *set = g->set;
    const char *full = set->title ? set->title : set->source ? set->source : "exercise set";
    const fms_data *d = set->data;
    char name[300];
    size_t len = strlen(full);
    if (len > keep || len >= sizeof name) {
        size_t n = fms_utf8_cut(full, len, keep < sizeof name - 4 ? keep : sizeof name - 4);
        memcpy(name, full, n);
        memcpy(name + n, "\xE2\x80\xA6", 4); /* … */
    } else {
        memcpy(name, full, len + 1);
    }
    switch (g->kind) {
    case FMS_PLOT_FIELD:
        snprintf(g->title, sizeof g->title, "%s \xE2\x80\x94 marginal velocity u*(x" SUB("t") ", t)", name);
        /* The colour bar's title names the clip level, known after the ranges: see layout. */
        break;
    case FMS_PLOT_POSTERIOR:
        snprintf(g->title, sizeof g->title, "%s \xE2\x80\x94 share of %s, w" SUB("%s") "(x" SUB("t") ", t)",
                 name, d->labels[0], d->labels[0]);
        snprintf(g->cb_title, sizeof g->cb_title, "w" SUB("%s") "(x" SUB("t") ", t), the share of x1 = %s",
                 d->labels[0], d->labels[0]);
        break;
    case FMS_PLOT_SAMPLES:
        snprintf(g->title, sizeof g->title, "%s \xE2\x80\x94 end points of %ld Euler trajectories", name, g->count);
        g->cb_title[0] = '\0';
        break;
    }
    fms_utf8_repair(g->title); /* cairo draws only valid UTF-8 */
}

/* The field's automatic clip level: max |u*| at the bottom corners (t = 0),
 * or 1 when that is 0. */
static fms_status auto_clip(fig *g, fms_error *err)
{
    const fms_data *d = g->set->data;
    fms_plot_frame *f = &g->f;
    fms_posterior a, b;
    fms_status st = fms_engine_eval(d, 0.0, f->x_lo, NULL, &a, err);
    if (st == FMS_OK)
        st = fms_engine_eval(d, 0.0, f->x_hi, NULL, &b, err);
    if (st != FMS_OK)
        return st;
    f->clip = fmax(fabs(a.velocity), fabs(b.velocity));
    if (!(f->clip > 0))
        f->clip = 1.0;
    return FMS_OK;
}

/* The frame's data ranges and the clip level (plot.h). */
static fms_status data_ranges(fig *g, fms_error *err)
{
    const fms_data *d = g->set->data;
    double xmin = d->x[0], xmax = d->x[0];
    for (size_t k = 1; k < d->n; k++) {
        if (d->x[k] < xmin)
            xmin = d->x[k];
        if (d->x[k] > xmax)
            xmax = d->x[k];
    }
    fms_plot_frame *f = &g->f;
    if (g->kind == FMS_PLOT_SAMPLES) {
        double spread = xmax - xmin, pad = spread > 0 ? 0.6 * spread : 1.0;
        f->x_lo = xmin - pad;
        f->x_hi = xmax + pad;
        double pmax = 0;
        for (size_t k = 0; k < d->n; k++)
            if (d->prob[k] > pmax)
                pmax = d->prob[k];
        /* Room above the tallest level for its label. */
        f->y_lo = 0.0;
        f->y_hi = ceil(pmax * 1.25 * 10.0) / 10.0;
        f->clip = 0.0;
        return FMS_OK;
    }
    double lo = fmin(-NOISE_REACH, xmin), hi = fmax(NOISE_REACH, xmax);
    for (size_t i = 0; i < g->set->n; i++) {
        if (g->set->ex[i].kind == FMS_EX_POINT) {
            lo = fmin(lo, g->set->ex[i].x_t);
            hi = fmax(hi, g->set->ex[i].x_t);
        }
    }
    double w = hi - lo;
    f->x_lo = lo - 0.05 * w;
    f->x_hi = hi + 0.05 * w;
    f->y_lo = 0.0;
    f->y_hi = 1.0;
    f->clip = 0.0;
    if (g->kind != FMS_PLOT_FIELD)
        return FMS_OK;
    if (g->opt.clip > 0) {
        f->clip = g->opt.clip;
        return FMS_OK;
    }
    return auto_clip(g, err);
}

/* Every size from the scale s = min(W/1200, H/800), and the number of curves or particles. */
static void scale_sizes(fig *g)
{
    g->W = g->opt.width;
    g->H = g->opt.height;
    g->s = fmin(g->W / DEFAULT_WIDTH, g->H / DEFAULT_HEIGHT);
    const double s = g->s;
    g->fs_tick = fmax(8.0, 17.0 * s);
    g->fs_label = fmax(9.0, 20.0 * s);
    g->fs_title = fmax(10.0, 23.0 * s);
    g->fs_note = fmax(8.0, 15.0 * s);
    g->pad = fmax(4.0, 12.0 * s);
    g->tick_len = fmax(3.0, 7.0 * s);
    g->lw = fmax(0.8, 1.4 * s);
    g->count = g->opt.trajectories >= 0 ? g->opt.trajectories
                                        : g->kind == FMS_PLOT_SAMPLES ? DEFAULT_PARTICLES : DEFAULT_CURVES;
}

/* The title shrinks a little to fit the width; beyond that the set's name is cut. */
static void fit_title(fig *g, cairo_t *cr)
{
    fig_title(g, (size_t)-1);
    const double title_min = 0.75 * g->fs_title;
    while (g->fs_title * 0.94 >= title_min && text_width(cr, g->fs_title, g->title) > g->W - 2 * g->pad)
        g->fs_title *= 0.94;
    for (size_t keep = 299; keep > 0 && text_width(cr, g->fs_title, g->title) > g->W - 2 * g->pad; keep -= 1)
        fig_title(g, keep);
}

/* The colour bar's ticks and title (whose font shrinks to run along the
 * plot area's height); returns the right margin the bar needs. */
static double colour_bar_margin(fig *g, cairo_t *cr, double height)
{
    const fms_plot_frame *f = &g->f;
    g->cb_width = fmax(10.0, 26.0 * g->s);
    ticks_choose(cr, g->fs_tick, g->kind == FMS_PLOT_FIELD ? -f->clip : 0.0,
                 g->kind == FMS_PLOT_FIELD ? f->clip : 1.0, height * 0.9, 0, 10, &g->ct);
    const double margin = 2 * g->pad + g->cb_width + g->tick_len + 0.5 * g->pad + g->ct.max_width + g->pad +
                          1.3 * g->fs_label + g->pad;
    if (g->kind == FMS_PLOT_FIELD) {
        char num[FMS_NUM_MAX];
        fms_numfmt_text(f->clip, 3, num);
        snprintf(g->cb_title, sizeof g->cb_title, "u*(x" SUB("t") ", t), clipped at \xC2\xB1%s", num);
    }
    while (g->fs_label > 3.0 && text_width(cr, g->fs_label, g->cb_title) > height)
        g->fs_label *= 0.94;
    return margin;
}

static fms_status too_small(const fig *g, fms_error *err)
{
    return fms_error_set(err, FMS_EINVAL, 0, "size %dx%d is too small for the figure's labels", g->opt.width,
                         g->opt.height);
}

/* The plot area: margins measured from the text they hold, then the ticks. */
static fms_status layout(fig *g, cairo_t *cr, fms_error *err)
{
    fms_plot_frame *f = &g->f;
    scale_sizes(g);
    fms_status st = data_ranges(g, err);
    if (st != FMS_OK)
        return st;
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    fit_title(g, cr);
    const int heat = g->kind != FMS_PLOT_SAMPLES;
    double top = g->pad + 1.25 * g->fs_title + g->pad;
    if (heat) /* the data points' labels above the top edge */
        top += 1.2 * g->fs_note + g->fs_note * 0.6;
    double bottom = g->tick_len + 0.4 * g->pad + CAP * g->fs_tick + g->pad + 1.3 * g->fs_label + g->pad;
    double height = floor(g->H - top - bottom);
    if (height < MIN_AREA)
        return too_small(g, err);
    ticks_choose(cr, g->fs_tick, f->y_lo, f->y_hi, height, 0, 10, &g->yt);
    double left = g->pad + 1.3 * g->fs_label + g->pad + g->yt.max_width + 0.5 * g->pad + g->tick_len;
    /* The x tick labels hang half their width past the area's ends. */
    ticks xprobe;
    ticks_make(cr, g->fs_tick, f->x_lo, f->x_hi, (f->x_hi - f->x_lo) / 4, &xprobe);
    double right = fmax(2 * g->pad, 0.5 * xprobe.max_width + g->pad);
    if (heat)
        right = fmax(right, colour_bar_margin(g, cr, height));
    left = ceil(left);
    top = ceil(top);
    double width = floor(g->W - left - right);
    if (width < MIN_AREA)
        return too_small(g, err);
    f->left = left;
    f->top = top;
    f->width = width;
    f->height = height;
    ticks_choose(cr, g->fs_tick, f->x_lo, f->x_hi, width, 1, 14, &g->xt);
    if (heat) {
        g->cb_left = left + width + 2 * g->pad;
        g->cb_tri = 0.9 * g->cb_width;
        g->cb_top = top + (g->kind == FMS_PLOT_FIELD ? g->cb_tri : 0.0);
        g->cb_bottom = top + height - (g->kind == FMS_PLOT_FIELD ? g->cb_tri : 0.0);
    }
    return cairo_status(cr) == CAIRO_STATUS_SUCCESS
               ? FMS_OK
               : fms_error_set(err, FMS_ENOMEM, 0, "cairo: %s", cairo_status_to_string(cairo_status(cr)));
}

static fms_status fig_init(fig *g, const fms_exset *set, fms_plot_kind kind, const fms_plot_opts *opt,
                           fms_error *err)
{
    memset(g, 0, sizeof *g);
    if (set == NULL || set->data == NULL || set->data->n == 0)
        return fms_error_set(err, FMS_EINVAL, 0, "no exercise set to plot");
    if ((unsigned)kind > FMS_PLOT_SAMPLES)
        return fms_error_set(err, FMS_EINVAL, 0, "unknown figure %d", (int)kind);
    g->set = set;
    g->kind = kind;
    if (opt)
        g->opt = *opt;
    else
        fms_plot_options_init(&g->opt);
    fms_status st = fms_plot_options_check(&g->opt, err);
    if (st != FMS_OK)
        return st;
    cairo_surface_t *m = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
    cairo_t *cr = cairo_create(m);
    st = layout(g, cr, err);
    cairo_destroy(cr);
    cairo_surface_destroy(m);
    return st;
}

fms_status fms_plot_frame_compute(const fms_exset *set, fms_plot_kind kind, const fms_plot_opts *opt,
                                  fms_plot_frame *out, fms_error *err)
{
    fig g;
    fms_status st = fig_init(&g, set, kind, opt, err);
    if (st == FMS_OK && out)
        *out = g.f;
    return st;
}

void fms_plot_frame_map(const fms_plot_frame *f, double x, double y, double *px, double *py)
{
    *px = f->left + (x - f->x_lo) / (f->x_hi - f->x_lo) * f->width;
    *py = f->top + (f->y_hi - y) / (f->y_hi - f->y_lo) * f->height;
}

/* --------------------------------------------------------------- drawing */

static void map(const fig *g, double x, double y, double *px, double *py)
{
    fms_plot_frame_map(&g->f, x, y, px, py);
}

static void set_rgb(cairo_t *cr, unsigned hex)
{
    cairo_set_source_rgb(cr, ((hex >> 16) & 0xff) / 255.0, ((hex >> 8) & 0xff) / 255.0, (hex & 0xff) / 255.0);
}

/* The grid of the heatmap: one node per device unit of the plot area, at
 * the centre of each pixel; row 0 is the top (t near 1). */
typedef struct grid {
    int nx, ny;
    double *value;    /* u* (field) or w_1 (posterior) */
    size_t *argmax;   /* the most likely label */
} grid;

static void grid_node(const fig *g, const grid *gr, double i, double j, double *x, double *t)
{
    const fms_plot_frame *f = &g->f;
    *x = f->x_lo + (i + 0.5) / gr->nx * (f->x_hi - f->x_lo);
    *t = f->y_hi - (j + 0.5) / gr->ny * (f->y_hi - f->y_lo);
}

static fms_status grid_fill(fig *g, grid *gr, fms_component *comp, fms_error *err)
{
    const fms_data *d = g->set->data;
    gr->nx = (int)g->f.width;
    gr->ny = (int)g->f.height;
    size_t nodes = (size_t)gr->nx * (size_t)gr->ny;
    gr->value = malloc(nodes * sizeof *gr->value);
    gr->argmax = malloc(nodes * sizeof *gr->argmax);
    if (!gr->value || !gr->argmax)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory for a %dx%d heatmap", gr->nx, gr->ny);
    for (int j = 0; j < gr->ny; j++) {
        for (int i = 0; i < gr->nx; i++) {
            double x, t;
            grid_node(g, gr, i, j, &x, &t);
            fms_posterior p;
            fms_status st = fms_engine_eval(d, t, x, g->kind == FMS_PLOT_POSTERIOR ? comp : NULL, &p, err);
            if (st != FMS_OK)
                return st;
            size_t at = (size_t)j * (size_t)gr->nx + (size_t)i;
            gr->value[at] = g->kind == FMS_PLOT_POSTERIOR ? comp[0].weight : p.velocity;
            gr->argmax[at] = p.argmax;
        }
        progress_add(g, gr->nx);
    }
    return FMS_OK;
}

static fms_status draw_heatmap(cairo_t *cr, const fig *g, const grid *gr, fms_error *err)
{
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, gr->nx, gr->ny);
    if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(img);
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory for a %dx%d image", gr->nx, gr->ny);
    }
    cairo_surface_flush(img);
    unsigned char *data = cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img);
    for (int j = 0; j < gr->ny; j++) {
        uint32_t *row = (uint32_t *)(void *)(data + (size_t)j * (size_t)stride);
        for (int i = 0; i < gr->nx; i++) {
            rgb c = value_colour(g->kind, gr->value[(size_t)j * (size_t)gr->nx + (size_t)i], g->f.clip);
            row[i] = ((uint32_t)lround(c.r * 255) << 16) | ((uint32_t)lround(c.g * 255) << 8) |
                     (uint32_t)lround(c.b * 255);
        }
    }
    cairo_surface_mark_dirty(img);
    cairo_save(cr);
    cairo_set_source_surface(cr, img, g->f.left, g->f.top);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
    cairo_rectangle(cr, g->f.left, g->f.top, g->f.width, g->f.height);
    cairo_fill(cr);
    cairo_restore(cr);
    cairo_surface_destroy(img);
    return FMS_OK;
}

/* The curves where the two most likely labels' shares are equal: the
 * borders between the regions of the grid where different labels are most
 * likely.  In each grid cell whose corners disagree, the zero set of
 * ℓ_a − ℓ_b (from the engine at the corners) is traced by marching squares
 * with linear interpolation along the edges, for every pair a, b of labels
 * that win at some corner; a piece is kept where a and b are the two most
 * likely labels at its midpoint. */

/* A cell's corners in order around it: (i,j) (i+1,j) (i+1,j+1) (i,j+1). */
static const int corner_i[4] = { 0, 1, 1, 0 }, corner_j[4] = { 0, 0, 1, 1 };

/* Where the borders are traced: the engine's components at a cell's
 * corners (c4) and at a piece's midpoint (mid), n entries each. */
typedef struct border {
    cairo_t *cr;
    const fig *g;
    const grid *gr;
    fms_component *c4[4], *mid;
} border;

/* 1 when a and b are the two most likely labels in comp (ties count for them). */
static int top_two(const fms_data *d, const fms_component *comp, size_t a, size_t b)
{
    double top2 = fmin(comp[a].log_weight, comp[b].log_weight);
    for (size_t o = 0; o < d->n; o++)
        if (o != a && o != b && comp[o].log_weight > top2)
            return 0;
    return 1;
}

/* Adds to the path the pieces of ℓ_a − ℓ_b = 0 in cell (i, j), whose corners are in bd->c4. */
static fms_status trace_pair(const border *bd, int i, int j, size_t a, size_t b, fms_error *err)
{
    const fig *g = bd->g;
    double v[4];
    for (int c = 0; c < 4; c++)
        v[c] = bd->c4[c][a].log_weight - bd->c4[c][b].log_weight;
    double ex[4], ey[4];
    int ne = 0;
    for (int e = 0; e < 4; e++) {
        int e2 = (e + 1) % 4;
        if ((v[e] >= 0) != (v[e2] >= 0)) {
            double r = v[e] / (v[e] - v[e2]);
            ex[ne] = corner_i[e] + r * (corner_i[e2] - corner_i[e]);
            ey[ne] = corner_j[e] + r * (corner_j[e2] - corner_j[e]);
            ne++;
        }
    }
    /* Two crossings make one piece; four (a saddle) make two, paired along the edges. */
    for (int k = 0; k + 1 < ne; k += 2) {
        double mx, mt;
        grid_node(g, bd->gr, i + 0.5 * (ex[k] + ex[k + 1]), j + 0.5 * (ey[k] + ey[k + 1]), &mx, &mt);
        fms_status st = fms_engine_eval(g->set->data, mt, mx, bd->mid, NULL, err);
        if (st != FMS_OK)
            return st;
        if (!top_two(g->set->data, bd->mid, a, b))
            continue;
        cairo_move_to(bd->cr, g->f.left + i + ex[k] + 0.5, g->f.top + j + ey[k] + 0.5);
        cairo_line_to(bd->cr, g->f.left + i + ex[k + 1] + 0.5, g->f.top + j + ey[k + 1] + 0.5);
    }
    return FMS_OK;
}

/* Cell (i, j): when the winners at its corners differ, the engine at the
 * corners and every pair of distinct winners traced once. */
static fms_status trace_cell(const border *bd, int i, int j, fms_error *err)
{
    const grid *gr = bd->gr;
    size_t lab[4];
    int mixed = 0;
    for (int c = 0; c < 4; c++) {
        lab[c] = gr->argmax[(size_t)(j + corner_j[c]) * (size_t)gr->nx + (size_t)(i + corner_i[c])];
        mixed |= lab[c] != lab[0];
    }
    if (!mixed)
        return FMS_OK;
    for (int c = 0; c < 4; c++) {
        double x, t;
        grid_node(bd->g, gr, i + corner_i[c], j + corner_j[c], &x, &t);
        fms_status st = fms_engine_eval(bd->g->set->data, t, x, bd->c4[c], NULL, err);
        if (st != FMS_OK)
            return st;
    }
    size_t win[4];
    int nw = 0;
    for (int c = 0; c < 4; c++) {
        int seen = 0;
        for (int m = 0; m < nw; m++)
            seen |= win[m] == lab[c];
        if (!seen)
            win[nw++] = lab[c];
    }
    for (int p = 0; p < nw; p++) {
        for (int q = p + 1; q < nw; q++) {
            /* a < b: a tie goes to the lower index, as the argmax does, so
             * classing ℓ_a − ℓ_b = 0 with a keeps a border through a node. */
            size_t a = win[p] < win[q] ? win[p] : win[q], b = win[p] < win[q] ? win[q] : win[p];
            fms_status st = trace_pair(bd, i, j, a, b, err);
            if (st != FMS_OK)
                return st;
        }
    }
    return FMS_OK;
}

/* scratch holds 5·n components (n data points). */
static fms_status draw_equal_shares(cairo_t *cr, const fig *g, const grid *gr, fms_component *scratch,
                                    fms_error *err)
{
    const size_t n = g->set->data->n;
    const border bd = { cr, g, gr, { scratch, scratch + n, scratch + 2 * n, scratch + 3 * n }, scratch + 4 * n };
    cairo_save(cr);
    cairo_rectangle(cr, g->f.left, g->f.top, g->f.width, g->f.height);
    cairo_clip(cr);
    cairo_new_path(cr);
    fms_status st = FMS_OK;
    for (int j = 0; st == FMS_OK && j + 1 < gr->ny; j++)
        for (int i = 0; st == FMS_OK && i + 1 < gr->nx; i++)
            st = trace_cell(&bd, i, j, err);
    if (st == FMS_OK) {
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_set_line_width(cr, 4.2 * g->lw);
        cairo_stroke_preserve(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_set_line_width(cr, 1.8 * g->lw);
        cairo_stroke(cr);
    }
    cairo_restore(cr);
    return st;
}

/* Runs the n particles starting at x (n entries, overwritten with the end
 * points) through `steps` Euler steps of the exact velocity, with the same
 * sampler as `fmsolve sample`; traj as for fms_sampler_euler, or NULL. */
static fms_status run_euler(const fms_data *d, size_t steps, size_t n, double *x, double *traj, fms_error *err)
{
    fms_kernel *k = NULL;
    fms_status st = fms_kernel_create(d, &k, err);
    if (st == FMS_OK)
        st = fms_sampler_euler(k, FMS_SAMPLER_VELOCITY, steps, n, x, traj, err);
    fms_kernel_free(k);
    return st;
}

static fms_status draw_trajectories(cairo_t *cr, fig *g, fms_error *err)
{
    const long n = g->count;
    if (n <= 0)
        return FMS_OK;
    const size_t steps = (size_t)g->opt.steps, m = (size_t)n;
    double *eps = malloc(m * sizeof *eps), *path = malloc((steps + 1) * m * sizeof *path);
    /* Antithetic pairs ±z: a handful of curves then shows both sides of the
     * noise evenly instead of the luck of one seed (the samples figure,
     * which estimates probabilities, uses plain draws). */
    const size_t half = (m + 1) / 2;
    fms_status st = (!eps || !path) ? fms_error_set(err, FMS_ENOMEM, 0, "out of memory for the trajectories")
                                    : fms_sampler_noise(g->opt.seed, half, eps, err);
    for (size_t k = half; st == FMS_OK && k-- > 0;) {
        eps[2 * k] = eps[k];
        if (2 * k + 1 < m)
            eps[2 * k + 1] = -eps[k];
    }
    if (st == FMS_OK)
        st = run_euler(g->set->data, steps, m, eps, path, err);
    if (st == FMS_OK)
        progress_add(g, (double)steps * (double)m);
    cairo_save(cr);
    cairo_rectangle(cr, g->f.left, g->f.top, g->f.width, g->f.height);
    cairo_clip(cr);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    for (size_t k = 0; st == FMS_OK && k < m; k++) {
        cairo_new_path(cr);
        for (size_t i = 0; i <= steps; i++) {
            double px, py;
            map(g, path[i * m + k], (double)i / (double)steps, &px, &py);
            if (i == 0)
                cairo_move_to(cr, px, py);
            else
                cairo_line_to(cr, px, py);
        }
        cairo_set_source_rgba(cr, 0.08, 0.08, 0.08, 0.7);
        cairo_set_line_width(cr, 1.1 * g->lw);
        cairo_stroke(cr);
    }
    cairo_restore(cr);
    free(eps);
    free(path);
    return st;
}

static void draw_axes(cairo_t *cr, const fig *g, const char *xlabel, const char *ylabel)
{
    const fms_plot_frame *f = &g->f;
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, g->lw);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    cairo_rectangle(cr, f->left, f->top, f->width, f->height);
    cairo_stroke(cr);
    char buf[48];
    const double bottom = f->top + f->height;
    for (long i = g->xt.first; i <= g->xt.last; i++) {
        double v = (double)i * g->xt.step, px, py;
        map(g, v, f->y_lo, &px, &py);
        cairo_move_to(cr, px, bottom);
        cairo_line_to(cr, px, bottom + g->tick_len);
        cairo_stroke(cr);
        format_tick(v, g->xt.decimals, buf);
        text_at(cr, g->fs_tick, buf, px, bottom + g->tick_len + 0.4 * g->pad, 0.5, 0.0, 0);
    }
    for (long i = g->yt.first; i <= g->yt.last; i++) {
        double v = (double)i * g->yt.step, px, py;
        map(g, f->x_lo, v, &px, &py);
        cairo_move_to(cr, f->left, py);
        cairo_line_to(cr, f->left - g->tick_len, py);
        cairo_stroke(cr);
        format_tick(v, g->yt.decimals, buf);
        text_at(cr, g->fs_tick, buf, f->left - g->tick_len - 0.5 * g->pad, py, 1.0, 0.5, 0);
    }
    /* Axis labels sit at the outer edge of the margins. */
    text_at(cr, g->fs_label, xlabel, f->left + f->width / 2, g->H - g->pad - 0.3 * g->fs_label, 0.5, 1.0, 0);
    text_up(cr, g->fs_label, ylabel, g->pad + 0.65 * g->fs_label, f->top + f->height / 2);
    /* Title: centred on the plot area unless that pushes it off the page. */
    double tw = text_width(cr, g->fs_title, g->title);
    double tx = f->left + f->width / 2 - tw / 2;
    if (tx + tw > g->W - g->pad)
        tx = g->W - g->pad - tw;
    if (tx < g->pad)
        tx = g->pad;
    text_at(cr, g->fs_title, g->title, tx, g->pad, 0.0, 0.0, 0);
}

/* A triangle on the colour bar's end at y with its tip at tip_y, filled with c, outlined in black. */
static void end_triangle(cairo_t *cr, const fig *g, double y, double tip_y, rgb c)
{
    const double x0 = g->cb_left, w = g->cb_width;
    cairo_move_to(cr, x0, y);
    cairo_line_to(cr, x0 + w / 2, tip_y);
    cairo_line_to(cr, x0 + w, y);
    cairo_close_path(cr);
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_stroke(cr);
}

static void draw_colour_bar(cairo_t *cr, const fig *g)
{
    const double x0 = g->cb_left, w = g->cb_width, top = g->cb_top, bot = g->cb_bottom;
    const double lo = g->kind == FMS_PLOT_FIELD ? -g->f.clip : 0.0, hi = g->kind == FMS_PLOT_FIELD ? g->f.clip : 1.0;
    const int n = (int)ceil(bot - top);
    for (int i = 0; i < n; i++) {
        double v = hi - (i + 0.5) / n * (hi - lo);
        rgb c = value_colour(g->kind, v, g->f.clip);
        cairo_set_source_rgb(cr, c.r, c.g, c.b);
        cairo_rectangle(cr, x0, top + i * (bot - top) / n, w, (bot - top) / n + 0.6);
        cairo_fill(cr);
    }
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, g->lw);
    cairo_new_path(cr);
    if (g->kind == FMS_PLOT_FIELD) {
        /* Triangles at the ends: values beyond ±clip are drawn in the end colours. */
        rgb chi = value_colour(g->kind, hi, g->f.clip), clo = value_colour(g->kind, lo, g->f.clip);
        end_triangle(cr, g, top, top - g->cb_tri, chi);
        end_triangle(cr, g, bot, bot + g->cb_tri, clo);
    }
    cairo_rectangle(cr, x0, top, w, bot - top);
    cairo_stroke(cr);
    char buf[48];
    for (long i = g->ct.first; i <= g->ct.last; i++) {
        double v = (double)i * g->ct.step;
        double py = top + (hi - v) / (hi - lo) * (bot - top);
        cairo_move_to(cr, x0 + w, py);
        cairo_line_to(cr, x0 + w + g->tick_len, py);
        cairo_stroke(cr);
        format_tick(v, g->ct.decimals, buf);
        text_at(cr, g->fs_tick, buf, x0 + w + g->tick_len + 0.5 * g->pad, py, 0.0, 0.5, 0);
    }
    double lx = x0 + w + g->tick_len + 0.5 * g->pad + g->ct.max_width + g->pad + 0.65 * g->fs_label;
    text_up(cr, g->fs_label, g->cb_title, lx, g->f.top + g->f.height / 2);
}

/* The data points as triangles on the top edge (t = 1), labelled above;
 * a label that would overlap its left neighbour is left out. */
static void draw_data_marks(cairo_t *cr, const fig *g)
{
    const fms_data *d = g->set->data;
    const double r = fmax(4.0, 8.0 * g->s);
    double last_right = -1e300;
    /* Left to right, so that the overlap test sees neighbours. */
    size_t *order = malloc(d->n * sizeof *order);
    if (!order)
        return;
    for (size_t k = 0; k < d->n; k++)
        order[k] = k;
    for (size_t k = 1; k < d->n; k++)
        for (size_t m = k; m > 0 && d->x[order[m]] < d->x[order[m - 1]]; m--) {
            size_t tmp = order[m];
            order[m] = order[m - 1];
            order[m - 1] = tmp;
        }
    for (size_t m = 0; m < d->n; m++) {
        size_t k = order[m];
        double px, py;
        map(g, d->x[k], 1.0, &px, &py);
        cairo_move_to(cr, px, py);
        cairo_line_to(cr, px - 0.6 * r, py - r);
        cairo_line_to(cr, px + 0.6 * r, py - r);
        cairo_close_path(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_fill(cr);
        double w = text_width(cr, g->fs_note, d->labels[k]);
        if (px - w / 2 > last_right + 0.3 * g->fs_note) {
            text_at(cr, g->fs_note, d->labels[k], px, py - r - 0.35 * g->fs_note, 0.5, 1.0, 0);
            last_right = px + w / 2;
        }
    }
    free(order);
}

/* The point exercises: black dots with a white ring, and their ids. */
static void draw_exercise_marks(cairo_t *cr, const fig *g)
{
    const double r = fmax(3.0, 6.0 * g->s);
    for (size_t i = 0; i < g->set->n; i++) {
        const fms_exercise *e = &g->set->ex[i];
        if (e->kind != FMS_EX_POINT)
            continue;
        double px, py;
        map(g, e->x_t, e->t, &px, &py);
        cairo_new_path(cr);
        cairo_arc(cr, px, py, r, 0, 2 * PI);
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_set_line_width(cr, 0.35 * r);
        cairo_stroke(cr);
        double w = text_width(cr, g->fs_note, e->id);
        double tx = px + 1.4 * r, ty = py - 1.2 * r; /* baseline, upper right */
        if (tx + w > g->f.left + g->f.width - 2)
            tx = px - 1.4 * r - w;
        if (ty - CAP * g->fs_note < g->f.top + 2)
            ty = py + 1.2 * r + CAP * g->fs_note;
        if (ty > g->f.top + g->f.height - 2)
            ty = py - 1.2 * r;
        cairo_set_source_rgb(cr, 0, 0, 0);
        text_at(cr, g->fs_note, e->id, tx, ty, 0.0, 1.0, 1);
    }
}

/* The legend's swatches, one drawing function each (swatch_draw), drawn
 * in a box sww wide centred on the row's middle cy, from sx on. */
typedef enum { SWATCH_CURVE, SWATCH_BORDER, SWATCH_DOT, SWATCH_BAR, SWATCH_DASH } swatch;

/* The dashed level of a probability: from x0 to x1 at height y. */
static void dashed_level(cairo_t *cr, const fig *g, double x0, double x1, double y)
{
    const double dash = 0.5 * g->fs_note;
    cairo_move_to(cr, x0, y);
    cairo_line_to(cr, x1, y);
    set_rgb(cr, 0xd55e00);
    cairo_set_line_width(cr, 2.0 * g->lw);
    cairo_set_dash(cr, &dash, 1, 0);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
}

static void swatch_curve(cairo_t *cr, const fig *g, double sx, double cy, double sww)
{
    const double fs = g->fs_note;
    cairo_move_to(cr, sx, cy + 0.3 * fs);
    cairo_curve_to(cr, sx + sww * 0.4, cy + 0.3 * fs, sx + sww * 0.6, cy - 0.3 * fs, sx + sww, cy - 0.3 * fs);
    cairo_set_source_rgba(cr, 0.08, 0.08, 0.08, 0.7);
    cairo_set_line_width(cr, 1.1 * g->lw);
    cairo_stroke(cr);
}

static void swatch_border(cairo_t *cr, const fig *g, double sx, double cy, double sww)
{
    cairo_move_to(cr, sx, cy);
    cairo_line_to(cr, sx + sww, cy);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 1.8 * g->lw);
    cairo_stroke(cr);
}

static void swatch_dot(cairo_t *cr, const fig *g, double sx, double cy, double sww)
{
    const double r = fmax(3.0, 6.0 * g->s);
    cairo_arc(cr, sx + sww / 2, cy, r, 0, 2 * PI);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_fill(cr);
}

static void swatch_bar(cairo_t *cr, const fig *g, double sx, double cy, double sww)
{
    const double fs = g->fs_note;
    cairo_rectangle(cr, sx + sww * 0.2, cy - 0.45 * fs, sww * 0.6, 0.9 * fs);
    set_rgb(cr, 0x4c72b0);
    cairo_fill(cr);
}

static void swatch_dash(cairo_t *cr, const fig *g, double sx, double cy, double sww)
{
    dashed_level(cr, g, sx, sx + sww, cy);
}

static void (*const swatch_draw[])(cairo_t *cr, const fig *g, double sx, double cy, double sww) = {
    [SWATCH_CURVE] = swatch_curve,
    [SWATCH_BORDER] = swatch_border,
    [SWATCH_DOT] = swatch_dot,
    [SWATCH_BAR] = swatch_bar,
    [SWATCH_DASH] = swatch_dash,
};

/* A legend in the upper left corner of the plot area, on a white box. */
static void draw_legend(cairo_t *cr, const fig *g, size_t n, const swatch *sw, const char *const *text)
{
    const double fs = g->fs_note, row = 1.5 * fs, sww = 2.4 * fs, gap = 0.6 * fs;
    double w = 0;
    for (size_t i = 0; i < n; i++)
        w = fmax(w, text_width(cr, fs, text[i]));
    const double x0 = g->f.left + g->pad, y0 = g->f.top + g->pad;
    const double bw = gap + sww + gap + w + gap, bh = gap + row * (double)n + gap * 0.4;
    /* In a small figure the legend would hide the data: leave it out. */
    if (bw > 0.6 * g->f.width || bh > 0.4 * g->f.height)
        return;
    cairo_rectangle(cr, x0, y0, bw, bh);
    cairo_set_source_rgba(cr, 1, 1, 1, 0.93);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0.5, 0.5, 0.5);
    cairo_set_line_width(cr, 0.6 * g->lw);
    cairo_stroke(cr);
    for (size_t i = 0; i < n; i++) {
        const double cy = y0 + gap + row * ((double)i + 0.5), sx = x0 + gap;
        cairo_new_path(cr);
        swatch_draw[sw[i]](cr, g, sx, cy, sww);
        cairo_set_source_rgb(cr, 0, 0, 0);
        text_at(cr, fs, text[i], sx + sww + gap, cy, 0.0, 0.5, 0);
    }
}

/* The heatmap figures' legend: the trajectories (field), the borders, the exercise points. */
static void heat_legend(cairo_t *cr, const fig *g)
{
    const fms_data *d = g->set->data;
    char l_curves[128], l_border[128];
    swatch sw[3];
    const char *text[3];
    size_t n = 0;
    if (g->kind == FMS_PLOT_FIELD && g->count > 0) {
        snprintf(l_curves, sizeof l_curves, "%ld Euler trajectories (seed %llu, %ld steps)", g->count,
                 (unsigned long long)g->opt.seed, g->opt.steps);
        sw[n] = SWATCH_CURVE;
        text[n++] = l_curves;
    }
    if (d->n == 2)
        snprintf(l_border, sizeof l_border, "equal shares, w" SUB("%s") " = w" SUB("%s"), d->labels[0], d->labels[1]);
    else
        snprintf(l_border, sizeof l_border, "the two most likely shares are equal");
    if (d->n > 1) {
        sw[n] = SWATCH_BORDER;
        text[n++] = l_border;
    }
    sw[n] = SWATCH_DOT;
    text[n++] = "exercise point (x" SUB("t") ", t)";
    draw_legend(cr, g, n, sw, text);
}

static fms_status draw_heat_figure(cairo_t *cr, fig *g, fms_error *err)
{
    const fms_data *d = g->set->data;
    grid gr = { 0 };
    fms_component *buf = malloc(5 * d->n * sizeof *buf);
    fms_status st = buf ? FMS_OK : fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    if (st == FMS_OK)
        st = grid_fill(g, &gr, buf, err);
    if (st == FMS_OK)
        st = draw_heatmap(cr, g, &gr, err);
    if (st == FMS_OK && d->n > 1)
        st = draw_equal_shares(cr, g, &gr, buf, err);
    if (st == FMS_OK && g->kind == FMS_PLOT_FIELD)
        st = draw_trajectories(cr, g, err);
    free(buf);
    free(gr.value);
    free(gr.argmax);
    if (st != FMS_OK)
        return st;
    draw_axes(cr, g, "x" SUB("t"), "t");
    draw_data_marks(cr, g);
    draw_exercise_marks(cr, g);
    draw_colour_bar(cr, g);
    heat_legend(cr, g);
    return FMS_OK;
}


/* The end points of the samples figure's particles: a histogram on the
 * figure's x range and, per data point, the particles that ended nearest to it. */
typedef struct ends {
    double bw;                  /* bin width */
    double counts[SAMPLE_BINS];
    long outside;               /* end points outside the range */
    double *near;               /* n entries */
} ends;

/* Runs the figure's particles and counts their end points into e (e->near allocated here). */
static fms_status sample_ends(fig *g, ends *e, fms_error *err)
{
    const fms_data *d = g->set->data;
    const long n = g->count;
    const size_t steps = (size_t)g->opt.steps;
    double *eps = malloc(((size_t)n + 1) * sizeof *eps);
    e->near = calloc(d->n, sizeof *e->near);
    e->bw = (g->f.x_hi - g->f.x_lo) / SAMPLE_BINS;
    fms_status st = (!eps || !e->near) ? fms_error_set(err, FMS_ENOMEM, 0, "out of memory for the particles")
                                       : fms_sampler_noise(g->opt.seed, (size_t)n, eps, err);
    if (st == FMS_OK && n > 0)
        st = run_euler(d, steps, (size_t)n, eps, NULL, err);
    if (st == FMS_OK)
        progress_add(g, (double)steps * (double)n);
    for (long k = 0; st == FMS_OK && k < n; k++) {
        double x = eps[k];
        long b = (long)floor((x - g->f.x_lo) / e->bw);
        if (b >= 0 && b < SAMPLE_BINS)
            e->counts[b] += 1;
        else
            e->outside++;
        /* Which data point the particle ended nearest to. */
        size_t best = 0;
        for (size_t j = 1; j < d->n; j++)
            if (fabs(x - d->x[j]) < fabs(x - d->x[best]))
                best = j;
        e->near[best] += 1;
    }
    free(eps);
    return st;
}

/* The histogram's bars: the fraction of the particles per bin. */
static void draw_histogram(cairo_t *cr, const fig *g, const ends *e)
{
    const fms_plot_frame *f = &g->f;
    const long n = g->count;
    cairo_save(cr);
    cairo_rectangle(cr, f->left, f->top, f->width, f->height);
    cairo_clip(cr);
    for (int b = 0; b < SAMPLE_BINS && n > 0; b++) {
        if (e->counts[b] == 0)
            continue;
        double x0, y0, x1, y1;
        map(g, f->x_lo + b * e->bw, e->counts[b] / (double)n, &x0, &y0);
        map(g, f->x_lo + (b + 1) * e->bw, 0.0, &x1, &y1);
        cairo_rectangle(cr, x0, y0, x1 - x0, y1 - y0);
        set_rgb(cr, 0x4c72b0);
        cairo_fill_preserve(cr);
        set_rgb(cr, 0x2a4370);
        cairo_set_line_width(cr, 0.8 * g->lw);
        cairo_stroke(cr);
    }
    cairo_restore(cr);
}

/* Each label's probability: a dashed level over its point, labelled with
 * the share of particles that ended nearest to it. */
static void draw_levels(cairo_t *cr, const fig *g, const ends *e)
{
    const fms_data *d = g->set->data;
    const fms_plot_frame *f = &g->f;
    const long n = g->count;
    for (size_t k = 0; k < d->n; k++) {
        double px, py, pl, pr, dummy;
        map(g, d->x[k], d->prob[k], &px, &py);
        map(g, d->x[k] - 2.5 * e->bw, 0, &pl, &dummy);
        map(g, d->x[k] + 2.5 * e->bw, 0, &pr, &dummy);
        dashed_level(cr, g, pl, pr, py);
        char p[FMS_NUM_MAX], lab[160];
        fms_numfmt_text(d->prob[k], 3, p);
        snprintf(lab, sizeof lab, "%s: p = %s, sampled %.3f", d->labels[k], p, n > 0 ? e->near[k] / (double)n : 0.0);
        double w = text_width(cr, g->fs_note, lab);
        double tx = fmin(fmax(px - w / 2, f->left + 4), f->left + f->width - 4 - w);
        cairo_set_source_rgb(cr, 0, 0, 0);
        text_at(cr, g->fs_note, lab, tx, py - 0.6 * g->fs_note, 0.0, 1.0, 1);
    }
}

static void samples_legend(cairo_t *cr, const fig *g, const ends *e)
{
    char l_bar[160], l_out[96];
    swatch sw[3] = { SWATCH_BAR, SWATCH_DASH, SWATCH_BAR };
    const char *text[3];
    char bwtext[FMS_NUM_MAX];
    fms_numfmt_text(e->bw, 3, bwtext);
    snprintf(l_bar, sizeof l_bar, "Euler end points (seed %llu, %ld steps, bins of %s)",
             (unsigned long long)g->opt.seed, g->opt.steps, bwtext);
    text[0] = l_bar;
    text[1] = "p" SUB("k") ", the data's probabilities";
    size_t nl = 2;
    if (e->outside > 0) {
        snprintf(l_out, sizeof l_out, "%ld end points outside the range", e->outside);
        text[nl++] = l_out;
    }
    draw_legend(cr, g, nl, sw, text);
}

static fms_status draw_samples_figure(cairo_t *cr, fig *g, fms_error *err)
{
    ends e = { 0 };
    fms_status st = sample_ends(g, &e, err);
    if (st == FMS_OK) {
        draw_histogram(cr, g, &e);
        draw_levels(cr, g, &e);
        draw_axes(cr, g, "x(1), where the trajectory ends", "fraction of particles per bin");
        samples_legend(cr, g, &e);
    }
    free(e.near);
    return st;
}

static fms_status draw(cairo_t *cr, fig *g, fms_error *err)
{
    const double euler = (double)g->count * (double)g->opt.steps;
    g->work_total = g->kind == FMS_PLOT_SAMPLES ? euler
                    : g->f.width * g->f.height + (g->kind == FMS_PLOT_FIELD ? euler : 0.0);
    g->work_done = g->work_reported = 0.0;
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    fms_status st = g->kind == FMS_PLOT_SAMPLES ? draw_samples_figure(cr, g, err) : draw_heat_figure(cr, g, err);
    if (st != FMS_OK)
        return st;
    cairo_status_t cs = cairo_status(cr);
    if (cs != CAIRO_STATUS_SUCCESS)
        return fms_error_set(err, cs == CAIRO_STATUS_NO_MEMORY ? FMS_ENOMEM : FMS_EIO, 0, "cairo: %s",
                             cairo_status_to_string(cs));
    return FMS_OK;
}

/* ----------------------------------------------------------------- files */

typedef struct sink {
    FILE *fp;
    int failed;
} sink;

static cairo_status_t sink_write(void *closure, const unsigned char *data, unsigned int length)
{
    sink *k = closure;
    if (k->failed || fwrite(data, 1, length, k->fp) != length) {
        k->failed = 1;
        return CAIRO_STATUS_WRITE_ERROR;
    }
    return CAIRO_STATUS_SUCCESS;
}

/* The surface of a format: PNG is drawn in memory and written at the end,
 * SVG and PDF stream to k as they are drawn. */
static cairo_surface_t *surface_new(fms_plot_format fmt, const fig *g, sink *k)
{
    switch (fmt) {
    case FMS_PLOT_PNG:
        return cairo_image_surface_create(CAIRO_FORMAT_RGB24, g->opt.width, g->opt.height);
    case FMS_PLOT_SVG:
        return cairo_svg_surface_create_for_stream(sink_write, k, g->W, g->H);
    default:
        return cairo_pdf_surface_create_for_stream(sink_write, k, g->W, g->H);
    }
}

static fms_status render_to(FILE *fp, fms_plot_format fmt, fig *g, const char *path, fms_error *err)
{
    sink k = { fp, 0 };
    cairo_surface_t *surf = surface_new(fmt, g, &k);
    cairo_t *cr = cairo_create(surf);
    fms_status st = draw(cr, g, err);
    cairo_destroy(cr);
    cairo_status_t cs = CAIRO_STATUS_SUCCESS;
    if (st == FMS_OK && fmt == FMS_PLOT_PNG)
        cs = cairo_surface_write_to_png_stream(surf, sink_write, &k);
    cairo_surface_finish(surf);
    if (cs == CAIRO_STATUS_SUCCESS)
        cs = cairo_surface_status(surf);
    cairo_surface_destroy(surf);
    if (st != FMS_OK)
        return st;
    if (k.failed || cs == CAIRO_STATUS_WRITE_ERROR)
        return fms_error_set(err, FMS_EIO, 0, "cannot write %s: %s", path, strerror(errno));
    if (cs != CAIRO_STATUS_SUCCESS)
        return fms_error_set(err, cs == CAIRO_STATUS_NO_MEMORY ? FMS_ENOMEM : FMS_EIO, 0, "cannot draw %s: %s",
                             path, cairo_status_to_string(cs));
    return FMS_OK;
}

/* Opens a hidden temporary file ".NAME.XXXXXX" next to path, with the mode
 * a new file gets (0666 & ~umask; mkstemp makes it private); *tmp receives
 * its name, to be freed. */
static fms_status open_temp(const char *path, char **tmp, FILE **fp, fms_error *err)
{
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    size_t len = strlen(path);
    char *name = malloc(len + 16);
    if (!name)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    memcpy(name, path, dirlen);
    snprintf(name + dirlen, len + 16 - dirlen, ".%s.XXXXXX", path + dirlen);
    int fd = mkstemp(name);
    if (fd < 0) {
        fms_status st = fms_error_set(err, FMS_EIO, 0, "cannot create %s: %s", path, strerror(errno));
        free(name);
        return st;
    }
    mode_t mask = umask(0);
    umask(mask);
    FILE *f = fchmod(fd, 0666 & ~mask) == 0 ? fdopen(fd, "wb") : NULL;
    if (!f) {
        fms_status st = fms_error_set(err, FMS_EIO, 0, "cannot create %s: %s", path, strerror(errno));
        close(fd);
        unlink(name);
        free(name);
        return st;
    }
    *tmp = name;
    *fp = f;
    return FMS_OK;
}

fms_status fms_plot_write(const fms_exset *set, fms_plot_kind kind, const fms_plot_opts *opt, const char *path,
                          fms_error *err)
{
    fms_plot_format fmt;
    fms_status st = fms_plot_format_from_path(path, &fmt, err);
    if (st != FMS_OK)
        return st;
    fig g;
    st = fig_init(&g, set, kind, opt, err);
    if (st != FMS_OK)
        return st;
    /* A hidden temporary file next to path, renamed over it when complete. */
    char *tmp = NULL;
    FILE *fp = NULL;
    st = open_temp(path, &tmp, &fp, err);
    if (st != FMS_OK)
        return st;
    st = render_to(fp, fmt, &g, path, err);
    if (fflush(fp) != 0 && st == FMS_OK)
        st = fms_error_set(err, FMS_EIO, 0, "cannot write %s: %s", path, strerror(errno));
    if (fclose(fp) != 0 && st == FMS_OK)
        st = fms_error_set(err, FMS_EIO, 0, "cannot write %s: %s", path, strerror(errno));
    if (st == FMS_OK && rename(tmp, path) != 0)
        st = fms_error_set(err, FMS_EIO, 0, "cannot write %s: %s", path, strerror(errno));
    if (st != FMS_OK)
        unlink(tmp);
    free(tmp);
    return st;
}

void fms_plot_release_caches(void)
{
    cairo_debug_reset_static_data();
    FcFini();
}
