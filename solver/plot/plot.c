/* plot.c — see plot.h for the figures, their ranges and the clip level;
 * figure.h for how a figure is made (prepare, layout, draw).  This file
 * holds the options, the layout, what the figures share (titles, axes,
 * the legend, the warning, labels along a line, the sampler runs) and the
 * files; heatfig.c and samplefig.c draw the figures themselves.
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

#include "base/cancel.h"
#include "base/numfmt.h"
#include "base/ofile.h"
#include "base/utf8.h"
#include "dynamics/kernel.h"
#include "plot/figure.h"

#define DEFAULT_WIDTH 1200
#define DEFAULT_HEIGHT 800
#define DEFAULT_CURVES 24
#define DEFAULT_PARTICLES 4000
#define DEFAULT_STEPS 100
#define DEFAULT_SEED 1
#define MIN_AREA 40.0
/* π, which C11 does not define. */
#define PI 3.14159265358979323846
#define SUB FMS_FIGTEXT_SUB

/* ---------------------------------------------------------------- options */

void fms_plot_options_init(fms_plot_opts *opt)
{
    *opt = (fms_plot_opts){ .width = DEFAULT_WIDTH, .height = DEFAULT_HEIGHT, .trajectories = -1,
                            .steps = DEFAULT_STEPS, .method = FMS_SAMPLER_DEFAULT_METHOD,
                            .rho = FMS_SAMPLER_DEFAULT_RHO, .tol = FMS_SAMPLER_DEFAULT_TOL, .seed = DEFAULT_SEED };
}

/* The sampler of a figure's trajectories or particles. */
static fms_sampler_spec plot_spec(const fms_plot_opts *opt)
{
    fms_sampler_spec s = { opt->method, FMS_SAMPLER_VELOCITY, opt->steps, opt->tol, opt->rho };
    return s;
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
        return fms_error_set(err, FMS_EINVAL, 0, "%ld steps is out of range (1 to %d)", opt->steps,
                             FMS_PLOT_MAX_STEPS);
    if (!isfinite(opt->clip) || opt->clip < 0.0)
        return fms_error_set(err, FMS_EINVAL, 0, "clip level %g must be a positive number (or 0 for automatic)",
                             opt->clip);
    fms_sampler_spec s = plot_spec(opt);
    return fms_sampler_spec_check(&s, err);
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

/* ---------------------------------------------------------- shared parts */

void fms_figure_map(const fms_figure *g, double x, double y, double *px, double *py)
{
    fms_plot_frame_map(&g->f, x, y, px, py);
}

void fms_figure_rgb(cairo_t *cr, unsigned hex)
{
    cairo_set_source_rgb(cr, ((hex >> 16) & 0xff) / 255.0, ((hex >> 8) & 0xff) / 255.0, (hex & 0xff) / 255.0);
}

void fms_figure_progress(fms_figure *g, double work)
{
    g->work_done += work;
    if (g->opt.progress && g->work_total > 0 &&
        (g->work_done - g->work_reported >= 0.005 * g->work_total || g->work_done >= g->work_total)) {
        g->work_reported = g->work_done;
        g->opt.progress(g->opt.progress_ctx, fmin(1.0, g->work_done / g->work_total));
    }
}

void fms_figure_dashed_level(cairo_t *cr, const fms_figure *g, double x0, double x1, double y)
{
    const double dash = 0.5 * g->fs_note;
    cairo_move_to(cr, x0, y);
    cairo_line_to(cr, x1, y);
    fms_figure_rgb(cr, 0xd55e00);
    cairo_set_line_width(cr, 2.0 * g->lw);
    cairo_set_dash(cr, &dash, 1, 0);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
}

void fms_figure_dot(cairo_t *cr, const fms_figure *g, double px, double py)
{
    const double r = fmax(3.0, 6.0 * g->s), ring = fmax(1.0, 0.3 * r);
    cairo_new_path(cr);
    cairo_arc(cr, px, py, r + ring + 0.5 * g->lw, 0, 2 * PI);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_fill(cr);
    cairo_arc(cr, px, py, r + ring, 0, 2 * PI);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_fill(cr);
    cairo_arc(cr, px, py, r, 0, 2 * PI);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_fill(cr);
}

/* The warning of a run whose end points (standard deviation std) merged
 * the data: under the title (markup, two lines) and told to opts.warn. */
static void set_warning(fms_figure *g, double std, double data_std)
{
    const fms_sampler_spec *s = &g->spec;
    char a[FMS_FIGTEXT_MAX], b[FMS_FIGTEXT_MAX], cost[96], plain[512];
    fms_figtext_number(std, 2, a);
    fms_figtext_number(data_std, 2, b);
    fms_sampler_cost_text(s, cost, sizeof cost);
    snprintf(g->warning, sizeof g->warning,
             "The end points spread over %s, the data over %s: %s cannot resolve the data.\n"
             "Use more steps (--steps) or another method (--method adaptive).",
             a, b, cost);
    fms_sampler_unresolved_message(s, std, data_std, plain, sizeof plain);
    if (g->opt.warn)
        g->opt.warn(g->opt.warn_ctx, plain);
}

void fms_figure_times(const fms_figure *g, size_t rows, double *times)
{
    const fms_sampler_spec *s = &g->spec;
    const long long n = (long long)rows - 1;
    for (long long j = 0; j <= n; j++)
        times[j] = s->method == FMS_SAMPLER_ADAPTIVE ? (double)j / (double)n : fms_sampler_grid_time(s->rho, j, n);
}

fms_status fms_figure_noise(const fms_figure *g, int antithetic, double *x, fms_error *err)
{
    const size_t m = (size_t)g->count;
    const size_t half = antithetic ? (m + 1) / 2 : m;
    fms_status st = fms_sampler_noise(g->opt.seed, half, x, err);
    /* Antithetic pairs ±z: a handful of curves then shows both sides of the
     * noise evenly instead of the luck of one seed. */
    for (size_t k = half; st == FMS_OK && antithetic && k-- > 0;) {
        x[2 * k] = x[k];
        if (2 * k + 1 < m)
            x[2 * k + 1] = -x[k];
    }
    return st;
}

fms_status fms_figure_solve(fms_figure *g, size_t m, double *x, double *traj, fms_error *err)
{
    fms_kernel *k = NULL;
    double evals = 0.0;
    fms_status st = fms_kernel_create(g->set->data, &k, err);
    if (st == FMS_OK)
        st = fms_sampler_solve(k, &g->spec, m, x, traj, &evals, err);
    fms_kernel_free(k);
    if (st == FMS_OK)
        fms_figure_progress(g, evals * (double)m);
    return st;
}

fms_status fms_figure_run(fms_figure *g, int antithetic, double *x, fms_error *err)
{
    const size_t m = (size_t)g->count;
    fms_status st = fms_figure_noise(g, antithetic, x, err);
    if (st == FMS_OK)
        st = fms_figure_solve(g, m, x, NULL, err);
    if (st != FMS_OK)
        return st;
    double mean = 0.0, m2 = 0.0;
    for (size_t i = 0; i < m; i++) {
        const double dlt = x[i] - mean;
        mean += dlt / (double)(i + 1);
        m2 += dlt * (x[i] - mean);
    }
    g->ends_std = m > 1 ? sqrt(m2 / (double)(m - 1)) : 0.0;
    const double data_std = fms_sampler_data_std(g->set->data);
    if (m > 1 && !fms_sampler_resolved(g->ends_std, data_std))
        set_warning(g, g->ends_std, data_std);
    return FMS_OK;
}

fms_status fms_figure_labels_alloc(fms_figure_labels *l, size_t n, fms_error *err)
{
    *l = (fms_figure_labels){ .n = n };
    l->text = calloc(n ? n : 1, sizeof *l->text);
    l->anchor = calloc(4 * (n ? n : 1), sizeof *l->anchor);
    l->row = calloc(n ? n : 1, sizeof *l->row);
    if (!l->text || !l->anchor || !l->row) {
        fms_figure_labels_free(l);
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory for the labels");
    }
    l->width = l->anchor + n;
    l->left = l->anchor + 2 * n;
    l->base = l->anchor + 3 * n;
    return FMS_OK;
}

void fms_figure_labels_free(fms_figure_labels *l)
{
    free(l->text);
    free(l->anchor);
    free(l->row);
    *l = (fms_figure_labels){ 0 };
}

/* One row of labels: those k ≡ r (mod rows) in anchor order. */
static int spread_row(const fms_figure *g, fms_figure_labels *l, const size_t *order, int r, int rows)
{
    size_t cnt = 0;
    double a[64] = { 0 }, w[64] = { 0 }, left[64];
    size_t idx[64];
    for (size_t k = (size_t)r; k < l->n; k += (size_t)rows) {
        if (cnt == 64)
            return 0;
        idx[cnt] = order[k];
        a[cnt] = l->anchor[order[k]];
        w[cnt] = l->width[order[k]];
        cnt++;
    }
    if (!fms_figtext_spread(cnt, a, w, 0.8 * g->fs_note, g->pad, g->W - g->pad, left))
        return 0;
    for (size_t c = 0; c < cnt; c++) {
        l->left[idx[c]] = left[c];
        l->row[idx[c]] = r;
    }
    return 1;
}

int fms_figure_spread(const fms_figure *g, fms_figure_labels *l)
{
    size_t *order = malloc((l->n ? l->n : 1) * sizeof *order);
    int rows = FMS_FIGURE_MAX_ROWS, ok = 0;
    if (order) {
        for (size_t k = 0; k < l->n; k++)
            order[k] = k;
        for (size_t k = 1; k < l->n; k++) /* insertion sort by anchor */
            for (size_t m = k; m > 0 && l->anchor[order[m]] < l->anchor[order[m - 1]]; m--) {
                size_t t = order[m];
                order[m] = order[m - 1];
                order[m - 1] = t;
            }
        for (rows = 1; !ok && rows <= FMS_FIGURE_MAX_ROWS; rows++) {
            ok = 1;
            for (int r = 0; ok && r < rows; r++)
                ok = spread_row(g, l, order, r, rows);
            if (ok)
                break;
        }
    }
    free(order);
    if (!ok) { /* too many to fit: on their anchors, in the rows' pattern */
        rows = FMS_FIGURE_MAX_ROWS;
        for (size_t k = 0; k < l->n; k++) {
            l->left[k] = l->anchor[k] - 0.5 * l->width[k];
            l->row[k] = (int)(k % (size_t)rows);
        }
    }
    l->rows = l->n ? rows : 0;
    return l->rows;
}

/* ---------------------------------------------------------------- layout */

/* The titles; the set's name is cut to its first `keep` bytes (at a
 * character boundary) and marked with an ellipsis when it is longer. */
static void fig_title(fms_figure *g, size_t keep)
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
        break;
    case FMS_PLOT_POSTERIOR:
        snprintf(g->title, sizeof g->title, "%s \xE2\x80\x94 share of %s, w" SUB("%s") "(x" SUB("t") ", t)",
                 name, d->labels[0], d->labels[0]);
        break;
    case FMS_PLOT_SAMPLES:
        snprintf(g->title, sizeof g->title, "%s \xE2\x80\x94 end points of %ld %s trajectories", name, g->count,
                 fms_sampler_method_name(g->spec.method));
        break;
    }
    fms_utf8_repair(g->title); /* cairo draws only valid UTF-8 */
}

/* Every size from the scale s = min(W/1200, H/800), and the number of curves or particles. */
static void scale_sizes(fms_figure *g)
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
static void fit_title(fms_figure *g, cairo_t *cr)
{
    fig_title(g, (size_t)-1);
    const double title_min = 0.75 * g->fs_title;
    while (g->fs_title * 0.94 >= title_min && fms_figtext_width(cr, g->fs_title, g->title) > g->W - 2 * g->pad)
        g->fs_title *= 0.94;
    for (size_t keep = 299; keep > 0 && fms_figtext_width(cr, g->fs_title, g->title) > g->W - 2 * g->pad; keep -= 1)
        fig_title(g, keep);
}

/* The colour bar's ticks and title (whose font shrinks to run along the
 * plot area's height); returns the right margin the bar needs. */
static double colour_bar_margin(fms_figure *g, cairo_t *cr, double height)
{
    const fms_plot_frame *f = &g->f;
    const int field = g->kind == FMS_PLOT_FIELD;
    g->cb_width = fmax(10.0, 26.0 * g->s);
    fms_figtext_ticks_choose(cr, g->fs_tick, field ? -f->clip : 0.0, field ? f->clip : 1.0, height * 0.9, 0, 10,
                             &g->ct);
    const double margin = 2 * g->pad + g->cb_width + g->tick_len + 0.5 * g->pad + g->ct.max_width + g->pad +
                          1.3 * g->fs_label + g->pad;
    char num[FMS_FIGTEXT_MAX], suffix[FMS_FIGTEXT_MAX];
    fms_figtext_ticks_suffix(&g->ct, suffix);
    if (field) {
        fms_figtext_number(f->clip, 3, num);
        snprintf(g->cb_title, sizeof g->cb_title, "u*(x" SUB("t") ", t)%s, clipped at \xC2\xB1%s", suffix, num);
    } else {
        snprintf(g->cb_title, sizeof g->cb_title, "w" SUB("%s") "(x" SUB("t") ", t), the share of x1 = %s",
                 g->set->data->labels[0], g->set->data->labels[0]);
    }
    while (g->fs_label > 3.0 && fms_figtext_width(cr, g->fs_label, g->cb_title) > height)
        g->fs_label *= 0.94;
    return margin;
}

static fms_status too_small(const fms_figure *g, fms_error *err)
{
    return fms_error_set(err, FMS_EINVAL, 0, "size %dx%d is too small for the figure's labels", g->opt.width,
                         g->opt.height);
}

/* The legend's entries in rows across the page; returns its height. */
static double legend_rows(fms_figure *g, cairo_t *cr)
{
    const double fs = g->fs_note, sww = 2.4 * fs, gap = 0.6 * fs, sep = 1.6 * fs, avail = g->W - 2 * g->pad;
    double x = 0.0;
    int row = 0;
    for (size_t i = 0; i < g->nlegend; i++) {
        const double w = sww + gap + fms_figtext_width(cr, fs, g->legend_text[i]);
        if (x > 0.0 && x + sep + w > avail) {
            row++;
            x = 0.0;
        }
        g->legend_x[i] = x > 0.0 ? x + sep : 0.0;
        g->legend_row[i] = row;
        x = g->legend_x[i] + w;
    }
    g->legend_rows = g->nlegend ? row + 1 : 0;
    return g->legend_rows * 1.5 * fs;
}

/* Legend entry i: where it starts (*x0) and its row's middle (*cy); returns
 * its width (swatch, gap, text).  Each row is centred on the page. */
static double legend_entry(const fms_figure *g, cairo_t *cr, size_t i, double *x0, double *cy)
{
    const double fs = g->fs_note, sww = 2.4 * fs, gap = 0.6 * fs;
    double end = 0.0, w = 0.0;
    for (size_t j = 0; j < g->nlegend; j++) {
        const double wj = sww + gap + fms_figtext_width(cr, fs, g->legend_text[j]);
        if (g->legend_row[j] == g->legend_row[i])
            end = g->legend_x[j] + wj;
        if (j == i)
            w = wj;
    }
    *x0 = 0.5 * (g->W - end) + g->legend_x[i];
    *cy = g->legend_y + 1.5 * fs * ((double)g->legend_row[i] + 0.5);
    return w;
}

/* The rows above the plot area, from the top of the page; returns their bottom. */
static double top_block(fms_figure *g, cairo_t *cr)
{
    double top = g->pad + 1.25 * g->fs_title + 0.6 * g->pad;
    g->warning_y = top;
    if (g->warning[0]) /* two lines */
        top += 2 * 1.35 * g->fs_note + 0.3 * g->pad;
    g->legend_y = top;
    top += legend_rows(g, cr) + 0.4 * g->pad;
    if (g->kind != FMS_PLOT_SAMPLES) /* the data points' labels above the top edge */
        top += (g->labels.rows > 0 ? g->labels.rows : 1) * 1.25 * g->fs_note + 1.1 * fmax(4.0, 8.0 * g->s) +
               0.75 * g->fs_note;
    return top;
}

/* One pass of the layout: margins, plot area, ticks. */
static fms_status layout_pass(fms_figure *g, cairo_t *cr, fms_error *err)
{
    fms_plot_frame *f = &g->f;
    const int heat = g->kind != FMS_PLOT_SAMPLES;
    double top = top_block(g, cr);
    double bottom = g->tick_len + 0.4 * g->pad + FMS_FIGTEXT_CAP * g->fs_tick + g->pad + 1.3 * g->fs_label + g->pad;
    double height = floor(g->H - top - bottom);
    if (height < MIN_AREA)
        return too_small(g, err);
    fms_figtext_ticks_choose(cr, g->fs_tick, f->y_lo, f->y_hi, height, 0, 10, &g->yt);
    double left = g->pad + 1.3 * g->fs_label + g->pad + g->yt.max_width + 0.5 * g->pad + g->tick_len;
    /* The x tick labels hang half their width past the area's ends. */
    fms_figtext_ticks xprobe;
    fms_figtext_ticks_choose(cr, g->fs_tick, f->x_lo, f->x_hi, g->W / 2, 1, 14, &xprobe);
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
    fms_figtext_ticks_choose(cr, g->fs_tick, f->x_lo, f->x_hi, width, 1, 14, &g->xt);
    if (heat) {
        g->cb_left = left + width + 2 * g->pad;
        g->cb_tri = 0.9 * g->cb_width;
        g->cb_top = top + (g->kind == FMS_PLOT_FIELD ? g->cb_tri : 0.0);
        g->cb_bottom = top + height - (g->kind == FMS_PLOT_FIELD ? g->cb_tri : 0.0);
    }
    return FMS_OK;
}

/* The plot area and what depends on it: the labels above it (heat), the
 * fraction axis's reach (samples).  Three passes settle the loop between
 * them (the labels' rows change the top margin; the axis's reach its ticks). */
static fms_status layout(fms_figure *g, cairo_t *cr, fms_error *err)
{
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    fit_title(g, cr);
    fms_status st = FMS_OK;
    for (int pass = 0; st == FMS_OK && pass < 3; pass++) {
        st = layout_pass(g, cr, err);
        if (st == FMS_OK && g->kind == FMS_PLOT_SAMPLES)
            fms_samplefig_labels(g, cr);
        else if (st == FMS_OK)
            fms_heatfig_labels(g, cr);
    }
    if (st == FMS_OK) /* the final reach's ticks */
        fms_figtext_ticks_choose(cr, g->fs_tick, g->f.y_lo, g->f.y_hi, g->f.height, 0, 10, &g->yt);
    if (st == FMS_OK && cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        st = fms_error_set(err, FMS_ENOMEM, 0, "cairo: %s", cairo_status_to_string(cairo_status(cr)));
    return st;
}

static void fig_free(fms_figure *g)
{
    free(g->near);
    fms_figure_labels_free(&g->labels);
    g->near = NULL;
}

static fms_status fig_init(fms_figure *g, const fms_exset *set, fms_plot_kind kind, const fms_plot_opts *opt,
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
    g->spec = plot_spec(&g->opt);
    scale_sizes(g);
    /* Progress: the sampler's evaluations, then the heatmap's nodes (about W·H/2). */
    /* (the field runs its curves twice: for the warning, then batch by batch to draw them) */
    g->work_total = (g->kind == FMS_PLOT_POSTERIOR ? 0.0 : (double)g->count * (double)g->opt.steps) *
                        (g->kind == FMS_PLOT_FIELD ? 2.0 : 1.0) +
                    (g->kind == FMS_PLOT_SAMPLES ? 0.0 : 0.5 * g->W * g->H);
    st = kind == FMS_PLOT_SAMPLES ? fms_samplefig_prepare(g, err) : fms_heatfig_prepare(g, err);
    cairo_surface_t *m = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
    cairo_t *cr = cairo_create(m);
    if (st == FMS_OK)
        st = layout(g, cr, err);
    cairo_destroy(cr);
    cairo_surface_destroy(m);
    if (st != FMS_OK)
        fig_free(g);
    return st;
}

/* opt without its callbacks: a figure laid out again (for its frame or its
 * boxes) tells nothing twice.  NULL stays NULL. */
static const fms_plot_opts *quiet_opts(const fms_plot_opts *opt, fms_plot_opts *buf)
{
    if (opt == NULL)
        return NULL;
    *buf = *opt;
    buf->warn = NULL;
    buf->progress = NULL;
    return buf;
}

fms_status fms_plot_frame_compute(const fms_exset *set, fms_plot_kind kind, const fms_plot_opts *opt,
                                  fms_plot_frame *out, fms_error *err)
{
    fms_figure g;
    fms_plot_opts quiet;
    fms_status st = fig_init(&g, set, kind, quiet_opts(opt, &quiet), err);
    if (st == FMS_OK && out)
        *out = g.f;
    fig_free(&g);
    return st;
}

/* The boxes of a laid-out figure (cr: for text widths). */
static size_t collect_boxes(const fms_figure *g, cairo_t *cr, fms_plot_box *b)
{
    const double fs = g->fs_note;
    size_t n = 0;
    for (size_t i = 0; i < g->nlegend; i++) {
        double x0, cy;
        const double w = legend_entry(g, cr, i, &x0, &cy);
        b[n++] = (fms_plot_box){ FMS_PLOT_BOX_LEGEND, i, x0, cy - 0.6 * fs, x0 + w, cy + 0.6 * fs };
    }
    const fms_figure_labels *l = &g->labels;
    for (size_t k = 0; k < l->n; k++) {
        const int heat = g->kind != FMS_PLOT_SAMPLES;
        const double base = heat ? fms_heatfig_label_base(g, k) : l->base[k];
        b[n++] = (fms_plot_box){ heat ? FMS_PLOT_BOX_POINT_LABEL : FMS_PLOT_BOX_LEVEL_LABEL, k, l->left[k],
                                 base - FMS_FIGTEXT_CAP * fs, l->left[k] + l->width[k], base + 0.22 * fs };
    }
    for (int i = 0; g->kind == FMS_PLOT_SAMPLES && i < FMS_FIGURE_BINS; i++) {
        if (g->counts[i] == 0)
            continue;
        double x0, y0, x1, y1;
        fms_figure_map(g, g->f.x_lo + i * g->bw, g->counts[i] / (double)g->count, &x0, &y0);
        fms_figure_map(g, g->f.x_lo + (i + 1) * g->bw, 0.0, &x1, &y1);
        b[n++] = (fms_plot_box){ FMS_PLOT_BOX_BAR, (size_t)i, x0, y0, x1, y1 };
    }
    if (g->warning[0])
        b[n++] = (fms_plot_box){ FMS_PLOT_BOX_WARNING, 0, g->pad, g->warning_y, g->W - g->pad,
                                 g->warning_y + 2 * 1.35 * fs };
    return n;
}

fms_status fms_plot_boxes(const fms_exset *set, fms_plot_kind kind, const fms_plot_opts *opt, fms_plot_box **out,
                          size_t *n, fms_error *err)
{
    fms_figure g;
    fms_plot_opts quiet;
    fms_status st = fig_init(&g, set, kind, quiet_opts(opt, &quiet), err);
    if (st != FMS_OK)
        return st;
    *out = malloc((FMS_FIGURE_MAX_LEGEND + g.labels.n + FMS_FIGURE_BINS + 1) * sizeof **out);
    if (*out == NULL)
        st = fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    cairo_surface_t *m = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
    cairo_t *cr = cairo_create(m);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    if (st == FMS_OK)
        *n = collect_boxes(&g, cr, *out);
    cairo_destroy(cr);
    cairo_surface_destroy(m);
    fig_free(&g);
    return st;
}

void fms_plot_frame_map(const fms_plot_frame *f, double x, double y, double *px, double *py)
{
    *px = f->left + (x - f->x_lo) / (f->x_hi - f->x_lo) * f->width;
    *py = f->top + (f->y_hi - y) / (f->y_hi - f->y_lo) * f->height;
}

/* --------------------------------------------------------------- drawing */

static void axis_ticks(cairo_t *cr, const fms_figure *g)
{
    const fms_plot_frame *f = &g->f;
    char buf[FMS_FIGTEXT_MAX];
    const double bottom = f->top + f->height;
    for (long i = g->xt.first; i <= g->xt.last; i++) {
        double px, py;
        fms_figure_map(g, fms_figtext_tick_value(&g->xt, i), f->y_lo, &px, &py);
        cairo_move_to(cr, px, bottom);
        cairo_line_to(cr, px, bottom + g->tick_len);
        cairo_stroke(cr);
        fms_figtext_tick_label(&g->xt, i, buf);
        fms_figtext_at(cr, g->fs_tick, buf, px, bottom + g->tick_len + 0.4 * g->pad, 0.5, 0.0, 0);
    }
    for (long i = g->yt.first; i <= g->yt.last; i++) {
        double px, py;
        fms_figure_map(g, f->x_lo, fms_figtext_tick_value(&g->yt, i), &px, &py);
        cairo_move_to(cr, f->left, py);
        cairo_line_to(cr, f->left - g->tick_len, py);
        cairo_stroke(cr);
        fms_figtext_tick_label(&g->yt, i, buf);
        fms_figtext_at(cr, g->fs_tick, buf, f->left - g->tick_len - 0.5 * g->pad, py, 1.0, 0.5, 0);
    }
}

static void draw_axes(cairo_t *cr, const fms_figure *g)
{
    const fms_plot_frame *f = &g->f;
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, g->lw);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    cairo_rectangle(cr, f->left, f->top, f->width, f->height);
    cairo_stroke(cr);
    axis_ticks(cr, g);
    /* Axis titles at the outer edge of the margins, with a common exponent. */
    char suffix[FMS_FIGTEXT_MAX], title[256];
    fms_figtext_ticks_suffix(&g->xt, suffix);
    snprintf(title, sizeof title, "%s%s", g->xlabel, suffix);
    fms_figtext_at(cr, g->fs_label, title, f->left + f->width / 2, g->H - g->pad - 0.3 * g->fs_label, 0.5, 1.0, 0);
    fms_figtext_ticks_suffix(&g->yt, suffix);
    snprintf(title, sizeof title, "%s%s", g->ylabel, suffix);
    fms_figtext_up(cr, g->fs_label, title, g->pad + 0.65 * g->fs_label, f->top + f->height / 2);
    /* Title: centred on the plot area unless that pushes it off the page. */
    double tw = fms_figtext_width(cr, g->fs_title, g->title);
    double tx = f->left + f->width / 2 - tw / 2;
    if (tx + tw > g->W - g->pad)
        tx = g->W - g->pad - tw;
    if (tx < g->pad)
        tx = g->pad;
    fms_figtext_at(cr, g->fs_title, g->title, tx, g->pad, 0.0, 0.0, 0);
}

/* The legend's swatches, one drawing function each, in a box sww wide
 * centred on the row's middle cy, from sx on. */
static void swatch_curve(cairo_t *cr, const fms_figure *g, double sx, double cy, double sww)
{
    const double fs = g->fs_note;
    cairo_move_to(cr, sx, cy + 0.3 * fs);
    cairo_curve_to(cr, sx + sww * 0.4, cy + 0.3 * fs, sx + sww * 0.6, cy - 0.3 * fs, sx + sww, cy - 0.3 * fs);
    cairo_set_source_rgba(cr, 0.08, 0.08, 0.08, 0.7);
    cairo_set_line_width(cr, 1.1 * g->lw);
    cairo_stroke(cr);
}

static void swatch_border(cairo_t *cr, const fms_figure *g, double sx, double cy, double sww)
{
    cairo_move_to(cr, sx, cy);
    cairo_line_to(cr, sx + sww, cy);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 1.8 * g->lw);
    cairo_stroke(cr);
}

static void swatch_dot(cairo_t *cr, const fms_figure *g, double sx, double cy, double sww)
{
    fms_figure_dot(cr, g, sx + sww / 2, cy);
}

static void swatch_bar(cairo_t *cr, const fms_figure *g, double sx, double cy, double sww)
{
    const double fs = g->fs_note;
    cairo_rectangle(cr, sx + sww * 0.2, cy - 0.45 * fs, sww * 0.6, 0.9 * fs);
    fms_figure_rgb(cr, 0x4c72b0);
    cairo_fill(cr);
}

static void swatch_dash(cairo_t *cr, const fms_figure *g, double sx, double cy, double sww)
{
    fms_figure_dashed_level(cr, g, sx, sx + sww, cy);
}

static void (*const swatch_draw[])(cairo_t *cr, const fms_figure *g, double sx, double cy, double sww) = {
    [FMS_SWATCH_CURVE] = swatch_curve, [FMS_SWATCH_BORDER] = swatch_border, [FMS_SWATCH_DOT] = swatch_dot,
    [FMS_SWATCH_BAR] = swatch_bar,     [FMS_SWATCH_DASH] = swatch_dash,
};

/* The legend above the plot area, each row centred on the page. */
static void draw_legend(cairo_t *cr, const fms_figure *g)
{
    const double fs = g->fs_note, sww = 2.4 * fs, gap = 0.6 * fs;
    for (size_t i = 0; i < g->nlegend; i++) {
        double sx, cy;
        legend_entry(g, cr, i, &sx, &cy);
        cairo_new_path(cr);
        swatch_draw[g->legend_swatch[i]](cr, g, sx, cy, sww);
        cairo_set_source_rgb(cr, 0, 0, 0);
        fms_figtext_at(cr, fs, g->legend_text[i], sx + sww + gap, cy, 0.0, 0.5, 0);
    }
}

/* The warning's two lines under the title, centred, in dark red. */
static void draw_warning(cairo_t *cr, const fms_figure *g)
{
    if (!g->warning[0])
        return;
    char line[512];
    const char *s = g->warning;
    for (int i = 0; i < 2 && *s; i++) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        memcpy(line, s, n);
        line[n] = '\0';
        double fs = g->fs_note;
        while (fs > 5.0 && fms_figtext_width(cr, fs, line) > g->W - 2 * g->pad)
            fs *= 0.94;
        fms_figure_rgb(cr, 0xb2182b);
        fms_figtext_at(cr, fs, line, 0.5 * g->W, g->warning_y + 1.35 * g->fs_note * (double)i, 0.5, 0.0, 0);
        s = nl ? nl + 1 : s + n;
    }
}

static fms_status draw(cairo_t *cr, fms_figure *g, fms_error *err)
{
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    fms_status st = g->kind == FMS_PLOT_SAMPLES ? fms_samplefig_draw(cr, g, err) : fms_heatfig_draw(cr, g, err);
    if (st != FMS_OK)
        return st;
    draw_axes(cr, g);
    draw_legend(cr, g);
    draw_warning(cr, g);
    if (g->work_done < g->work_total) /* the estimate of the work was high: done is done */
        fms_figure_progress(g, g->work_total - g->work_done);
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
static cairo_surface_t *surface_new(fms_plot_format fmt, const fms_figure *g, sink *k)
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

static fms_status render_to(FILE *fp, fms_plot_format fmt, fms_figure *g, const char *path, fms_error *err)
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

fms_status fms_plot_write(const fms_exset *set, fms_plot_kind kind, const fms_plot_opts *opt, const char *path,
                          fms_error *err)
{
    fms_plot_format fmt;
    fms_status st = fms_plot_format_from_path(path, &fmt, err);
    if (st != FMS_OK)
        return st;
    fms_figure g;
    st = fig_init(&g, set, kind, opt, err);
    if (st != FMS_OK)
        return st;
    /* A hidden temporary file next to path, renamed over it when complete (base/ofile.h). */
    fms_ofile of;
    st = fms_ofile_open(&of, path, err);
    if (st != FMS_OK) {
        fig_free(&g);
        return st;
    }
    st = render_to(of.fp, fmt, &g, path, err);
    fig_free(&g);
    if (st == FMS_OK)
        return fms_ofile_commit(&of, err);
    fms_ofile_discard(&of);
    return st;
}

void fms_plot_release_caches(void)
{
    cairo_debug_reset_static_data();
    FcFini();
}
