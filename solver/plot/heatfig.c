/* heatfig.c — the field and posterior figures (plot.h): the heatmap from
 * the kernel row by row, the borders between the most likely labels, the
 * trajectories, the data points and exercises, the colour bar. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/engine.h"
#include "base/cancel.h"
#include "dynamics/kernel.h"
#include "plot/figure.h"

/* |ε| ≤ 3 holds for 99.7% of the noise: the x_t range must show it. */
#define NOISE_REACH 3.0
#define SUB FMS_FIGTEXT_SUB

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

/* The field's automatic clip level: max |u*| at the bottom corners (t = 0),
 * or 1 when that is 0. */
static fms_status auto_clip(fms_figure *g, fms_error *err)
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
static fms_status data_ranges(fms_figure *g, fms_error *err)
{
    const fms_data *d = g->set->data;
    double lo = -NOISE_REACH, hi = NOISE_REACH;
    for (size_t k = 0; k < d->n; k++) {
        lo = fmin(lo, d->x[k]);
        hi = fmax(hi, d->x[k]);
    }
    for (size_t i = 0; i < g->set->n; i++) {
        if (g->set->ex[i].kind == FMS_EX_POINT) {
            lo = fmin(lo, g->set->ex[i].x_t);
            hi = fmax(hi, g->set->ex[i].x_t);
        }
    }
    fms_plot_frame *f = &g->f;
    const double w = hi - lo;
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

/* The legend: the trajectories (field), the borders, the exercise points. */
static void legend(fms_figure *g)
{
    const fms_data *d = g->set->data;
    size_t n = 0;
    if (g->kind == FMS_PLOT_FIELD && g->count > 0) {
        char cost[96];
        fms_sampler_cost_text(&g->spec, cost, sizeof cost);
        snprintf(g->legend_text[n], sizeof g->legend_text[n], "%ld trajectories, %s (seed %llu)", g->count, cost,
                 (unsigned long long)g->opt.seed);
        g->legend_swatch[n++] = FMS_SWATCH_CURVE;
    }
    if (d->n > 1) {
        if (d->n == 2)
            snprintf(g->legend_text[n], sizeof g->legend_text[n], "equal shares, w" SUB("%s") " = w" SUB("%s"),
                     d->labels[0], d->labels[1]);
        else
            snprintf(g->legend_text[n], sizeof g->legend_text[n], "the two most likely shares are equal");
        g->legend_swatch[n++] = FMS_SWATCH_BORDER;
    }
    for (size_t i = 0; i < g->set->n; i++) {
        if (g->set->ex[i].kind == FMS_EX_POINT) {
            snprintf(g->legend_text[n], sizeof g->legend_text[n], "exercise point (x" SUB("t") ", t)");
            g->legend_swatch[n++] = FMS_SWATCH_DOT;
            break;
        }
    }
    g->nlegend = n;
}

fms_status fms_heatfig_prepare(fms_figure *g, fms_error *err)
{
    const fms_data *d = g->set->data;
    fms_status st = data_ranges(g, err);
    snprintf(g->xlabel, sizeof g->xlabel, "x" SUB("t"));
    snprintf(g->ylabel, sizeof g->ylabel, "t");
    legend(g);
    if (st == FMS_OK)
        st = fms_figure_labels_alloc(&g->labels, d->n, err);
    for (size_t k = 0; st == FMS_OK && k < d->n; k++)
        snprintf(g->labels.text[k], sizeof g->labels.text[k], "%s", d->labels[k]);
    if (st != FMS_OK || g->kind != FMS_PLOT_FIELD || g->count <= 0)
        return st;
    const fms_sampler_spec *s = &g->spec;
    g->nsteps = (size_t)(s->method == FMS_SAMPLER_ADAPTIVE ? s->steps : fms_sampler_intervals(s->method, s->steps));
    /* The curves' end points decide the warning; draw_trajectories runs them again, a batch at a time. */
    double *x = malloc((size_t)g->count * sizeof *x);
    st = x ? fms_figure_run(g, 1, x, err) : fms_error_set(err, FMS_ENOMEM, 0, "out of memory for the trajectories");
    free(x);
    return st;
}

void fms_heatfig_labels(fms_figure *g, cairo_t *cr)
{
    const fms_data *d = g->set->data;
    fms_figure_labels *l = &g->labels;
    for (size_t k = 0; k < d->n; k++) {
        double py;
        fms_figure_map(g, d->x[k], 1.0, &l->anchor[k], &py);
        l->width[k] = fms_figtext_width(cr, g->fs_note, l->text[k]);
    }
    fms_figure_spread(g, l);
}

/* The grid of the heatmap: one node per device unit of the plot area, at
 * the centre of each pixel; row 0 is the top (t near 1). */
typedef struct grid {
    int nx, ny;
    double *value;    /* u* (field) or w_1 (posterior) */
    size_t *argmax;   /* the most likely label */
} grid;

static void grid_node(const fms_figure *g, const grid *gr, double i, double j, double *x, double *t)
{
    const fms_plot_frame *f = &g->f;
    *x = f->x_lo + (i + 0.5) / gr->nx * (f->x_hi - f->x_lo);
    *t = f->y_hi - (j + 0.5) / gr->ny * (f->y_hi - f->y_lo);
}

/* A row of the grid at time t from the kernel: x̂1 (or w_1) and the argmax. */
static fms_status grid_row(fms_figure *g, grid *gr, fms_kernel *k, fms_kernel_at *at, const double *xs, int j,
                           fms_error *err)
{
    double x, t;
    grid_node(g, gr, 0, j, &x, &t);
    const size_t nx = (size_t)gr->nx, at0 = (size_t)j * nx;
    double xabs;
    fms_kernel_all_finite(xs, nx, &xabs);
    fms_status st = fms_kernel_prepare(k, t, at, err);
    if (st == FMS_OK)
        st = fms_kernel_check_range(k, at, xabs, err);
    if (st != FMS_OK)
        return st;
    double *v = gr->value + at0;
    fms_kernel_x1hat_unchecked(k, at, nx, xs, v);
    if (g->kind == FMS_PLOT_FIELD)
        for (size_t i = 0; i < nx; i++)
            v[i] = fms_kernel_velocity(t, xs[i], v[i]);
    fms_kernel_argmax(k, at, nx, xs, gr->argmax + at0);
    return FMS_OK;
}

static fms_status grid_fill(fms_figure *g, grid *gr, fms_error *err)
{
    const fms_data *d = g->set->data;
    gr->nx = (int)g->f.width;
    gr->ny = (int)g->f.height;
    const size_t nodes = (size_t)gr->nx * (size_t)gr->ny;
    gr->value = malloc(nodes * sizeof *gr->value);
    gr->argmax = malloc(nodes * sizeof *gr->argmax);
    double *xs = malloc((size_t)gr->nx * sizeof *xs), *ind = calloc(d->n, sizeof *ind);
    fms_kernel *k = NULL;
    fms_kernel_at *at = NULL;
    fms_status st = gr->value && gr->argmax && xs && ind
                        ? FMS_OK
                        : fms_error_set(err, FMS_ENOMEM, 0, "out of memory for a %dx%d heatmap", gr->nx, gr->ny);
    if (st == FMS_OK) { /* the posterior: the mean of the indicator of label 1 is its share */
        ind[0] = 1.0;
        st = fms_kernel_create_values(d, g->kind == FMS_PLOT_POSTERIOR ? ind : NULL, &k, err);
    }
    if (st == FMS_OK)
        st = fms_kernel_at_new(k, &at, err);
    for (int i = 0; st == FMS_OK && i < gr->nx; i++) {
        double t;
        grid_node(g, gr, i, 0, &xs[i], &t);
    }
    const double per_row = 0.5 * g->W * g->H / (double)gr->ny;
    for (int j = 0; st == FMS_OK && j < gr->ny; j++) {
        st = fms_cancel_poll(err);
        if (st == FMS_OK)
            st = grid_row(g, gr, k, at, xs, j, err);
        fms_figure_progress(g, per_row);
    }
    fms_kernel_at_free(at);
    fms_kernel_free(k);
    free(xs);
    free(ind);
    return st;
}

static fms_status draw_heatmap(cairo_t *cr, const fms_figure *g, const grid *gr, fms_error *err)
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
    const fms_figure *g;
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
    const fms_figure *g = bd->g;
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
static fms_status draw_equal_shares(cairo_t *cr, const fms_figure *g, const grid *gr, fms_component *scratch,
                                    fms_error *err)
{
    const size_t n = g->set->data->n;
    const border bd = { cr, g, gr, { scratch, scratch + n, scratch + 2 * n, scratch + 3 * n }, scratch + 4 * n };
    cairo_save(cr);
    cairo_rectangle(cr, g->f.left, g->f.top, g->f.width, g->f.height);
    cairo_clip(cr);
    cairo_new_path(cr);
    fms_status st = FMS_OK;
    for (int j = 0; st == FMS_OK && (st = fms_cancel_poll(err)) == FMS_OK && j + 1 < gr->ny; j++)
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

/* The slope dx/dt of a trajectory at row j from its neighbours (three-point
 * differences on the uneven grid; one-sided at the ends). */
static double slope(const double *x, const double *t, size_t m, size_t rows, size_t j)
{
    if (j == 0)
        return (x[m] - x[0]) / (t[1] - t[0]);
    if (j + 1 == rows)
        return (x[j * m] - x[(j - 1) * m]) / (t[j] - t[j - 1]);
    const double h0 = t[j] - t[j - 1], h1 = t[j + 1] - t[j];
    const double d0 = (x[j * m] - x[(j - 1) * m]) / h0, d1 = (x[(j + 1) * m] - x[j * m]) / h1;
    return (h1 * d0 + h0 * d1) / (h0 + h1);
}

/* The curves are run and drawn a batch at a time, so that their positions
 * take at most this many doubles (32 MiB) whatever the number of curves and
 * steps; the same noise gives the same curves in any batch. */
#define TRAJ_BATCH_DOUBLES ((size_t)1 << 22)

/* Curves k < nb of a batch as cubic Hermite curves through their rows:
 * position j of curve k is path[j·nb + k], at time t[j]. */
static void stroke_batch(cairo_t *cr, const fms_figure *g, const double *path, const double *t, size_t rows,
                         size_t nb)
{
    for (size_t i = 0; i < nb; i++) {
        const double *x = path + i;
        double px, py, c1x, c1y, c2x, c2y;
        cairo_new_path(cr);
        fms_figure_map(g, x[0], t[0], &px, &py);
        cairo_move_to(cr, px, py);
        double s0 = slope(x, t, nb, rows, 0);
        for (size_t j = 0; j + 1 < rows; j++) {
            const double h = t[j + 1] - t[j], s1 = slope(x, t, nb, rows, j + 1);
            fms_figure_map(g, x[j * nb] + s0 * h / 3, t[j] + h / 3, &c1x, &c1y);
            fms_figure_map(g, x[(j + 1) * nb] - s1 * h / 3, t[j + 1] - h / 3, &c2x, &c2y);
            fms_figure_map(g, x[(j + 1) * nb], t[j + 1], &px, &py);
            cairo_curve_to(cr, c1x, c1y, c2x, c2y, px, py);
            s0 = s1;
        }
        cairo_set_source_rgba(cr, 0.08, 0.08, 0.08, 0.7);
        cairo_set_line_width(cr, 1.1 * g->lw);
        cairo_stroke(cr);
    }
}

static fms_status draw_trajectories(cairo_t *cr, fms_figure *g, fms_error *err)
{
    const size_t m = (size_t)g->count, rows = g->nsteps + 1;
    if (m == 0 || g->kind != FMS_PLOT_FIELD)
        return FMS_OK;
    size_t batch = TRAJ_BATCH_DOUBLES / rows;
    batch = batch < 1 ? 1 : batch > m ? m : batch;
    double *eps = malloc(m * sizeof *eps), *path = malloc(rows * batch * sizeof *path), *t = malloc(rows * sizeof *t);
    fms_status st = eps && path && t ? fms_figure_noise(g, 1, eps, err)
                                     : fms_error_set(err, FMS_ENOMEM, 0, "out of memory for the trajectories");
    if (st == FMS_OK)
        fms_figure_times(g, rows, t);
    cairo_save(cr);
    cairo_rectangle(cr, g->f.left, g->f.top, g->f.width, g->f.height);
    cairo_clip(cr);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    for (size_t b0 = 0; st == FMS_OK && b0 < m; b0 += batch) {
        const size_t nb = m - b0 < batch ? m - b0 : batch;
        st = fms_figure_solve(g, nb, eps + b0, path, err);
        if (st == FMS_OK)
            stroke_batch(cr, g, path, t, rows, nb);
    }
    cairo_restore(cr);
    free(eps);
    free(path);
    free(t);
    return st;
}

/* A triangle on the colour bar's end at y with its tip at tip_y, filled with c, outlined in black. */
static void end_triangle(cairo_t *cr, const fms_figure *g, double y, double tip_y, rgb c)
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

static void draw_colour_bar(cairo_t *cr, const fms_figure *g)
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
    char buf[FMS_FIGTEXT_MAX];
    for (long i = g->ct.first; i <= g->ct.last; i++) {
        double v = fms_figtext_tick_value(&g->ct, i);
        double py = top + (hi - v) / (hi - lo) * (bot - top);
        cairo_move_to(cr, x0 + w, py);
        cairo_line_to(cr, x0 + w + g->tick_len, py);
        cairo_stroke(cr);
        fms_figtext_tick_label(&g->ct, i, buf);
        fms_figtext_at(cr, g->fs_tick, buf, x0 + w + g->tick_len + 0.5 * g->pad, py, 0.0, 0.5, 0);
    }
    double lx = x0 + w + g->tick_len + 0.5 * g->pad + g->ct.max_width + g->pad + 0.65 * g->fs_label;
    fms_figtext_up(cr, g->fs_label, g->cb_title, lx, g->f.top + g->f.height / 2);
}

double fms_heatfig_label_base(const fms_figure *g, size_t k)
{
    double px, py;
    fms_figure_map(g, g->set->data->x[k], 1.0, &px, &py);
    return py - fmax(4.0, 8.0 * g->s) - 0.8 * g->fs_note - 1.25 * g->fs_note * g->labels.row[k];
}

/* The data points as triangles on the top edge (t = 1), every one
 * labelled above it; a label moved off its point (or into a higher row) is
 * joined to it by a leader line. */
static void draw_data_marks(cairo_t *cr, const fms_figure *g)
{
    const fms_data *d = g->set->data;
    const fms_figure_labels *l = &g->labels;
    const double r = fmax(4.0, 8.0 * g->s), fs = g->fs_note;
    for (size_t k = 0; k < d->n; k++) {
        double px, py;
        fms_figure_map(g, d->x[k], 1.0, &px, &py);
        cairo_move_to(cr, px, py);
        cairo_line_to(cr, px - 0.6 * r, py - r);
        cairo_line_to(cr, px + 0.6 * r, py - r);
        cairo_close_path(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_fill(cr);
        const double base = fms_heatfig_label_base(g, k), cx = l->left[k] + 0.5 * l->width[k];
        if (fabs(cx - px) > 0.5 || l->row[k] > 0) {
            cairo_move_to(cr, cx, base + 0.2 * fs);
            cairo_line_to(cr, px, py - r - 0.1 * fs);
            cairo_set_source_rgb(cr, 0.45, 0.45, 0.45);
            cairo_set_line_width(cr, 0.6 * g->lw);
            cairo_stroke(cr);
        }
        cairo_set_source_rgb(cr, 0, 0, 0);
        fms_figtext_at(cr, fs, l->text[k], l->left[k], base, 0.0, 1.0, 0);
    }
}

/* The point exercises: dots (fms_figure_dot) and their ids. */
static void draw_exercise_marks(cairo_t *cr, const fms_figure *g)
{
    const double r = fmax(3.0, 6.0 * g->s);
    for (size_t i = 0; i < g->set->n; i++) {
        const fms_exercise *e = &g->set->ex[i];
        if (e->kind != FMS_EX_POINT)
            continue;
        double px, py;
        fms_figure_map(g, e->x_t, e->t, &px, &py);
        fms_figure_dot(cr, g, px, py);
        double w = fms_figtext_width(cr, g->fs_note, e->id);
        double tx = px + 1.6 * r, ty = py - 1.3 * r; /* baseline, upper right */
        if (tx + w > g->f.left + g->f.width - 2)
            tx = px - 1.6 * r - w;
        if (ty - FMS_FIGTEXT_CAP * g->fs_note < g->f.top + 2)
            ty = py + 1.3 * r + FMS_FIGTEXT_CAP * g->fs_note;
        if (ty > g->f.top + g->f.height - 2)
            ty = py - 1.3 * r;
        cairo_set_source_rgb(cr, 0, 0, 0);
        fms_figtext_at(cr, g->fs_note, e->id, tx, ty, 0.0, 1.0, 1);
    }
}

fms_status fms_heatfig_draw(cairo_t *cr, fms_figure *g, fms_error *err)
{
    const fms_data *d = g->set->data;
    grid gr = { 0 };
    fms_component *buf = malloc(5 * d->n * sizeof *buf);
    fms_status st = buf ? FMS_OK : fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    if (st == FMS_OK)
        st = grid_fill(g, &gr, err);
    if (st == FMS_OK)
        st = draw_heatmap(cr, g, &gr, err);
    if (st == FMS_OK && d->n > 1)
        st = draw_equal_shares(cr, g, &gr, buf, err);
    free(buf);
    free(gr.value);
    free(gr.argmax);
    if (st == FMS_OK)
        st = draw_trajectories(cr, g, err);
    if (st != FMS_OK)
        return st;
    draw_data_marks(cr, g);
    draw_exercise_marks(cr, g);
    draw_colour_bar(cr, g);
    return FMS_OK;
}
