/* samplefig.c — the samples figure (plot.h): the histogram of the end
 * points, the data's probabilities as dashed levels, and their labels set
 * clear of the bars, with a fraction axis that reaches above all of them. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot/figure.h"

#define SUB FMS_FIGTEXT_SUB
/* A level's dashed line reaches this many bins to each side of its point. */
#define LEVEL_BINS 2.5

static void legend(fms_figure *g)
{
    char bw[FMS_FIGTEXT_MAX], cost[96], out[64] = "";
    fms_figtext_number(g->bw, 3, bw);
    fms_sampler_cost_text(&g->spec, cost, sizeof cost);
    if (g->outside > 0)
        snprintf(out, sizeof out, "; %ld outside the range", g->outside);
    snprintf(g->legend_text[0], sizeof g->legend_text[0], "end points, %s (seed %llu, bins of %s%s)", cost,
             (unsigned long long)g->opt.seed, bw, out);
    g->legend_swatch[0] = FMS_SWATCH_BAR;
    snprintf(g->legend_text[1], sizeof g->legend_text[1], "p" SUB("k") ", the data's probabilities");
    g->legend_swatch[1] = FMS_SWATCH_DASH;
    g->nlegend = 2;
}

/* The histogram and the particles nearest to each point, from the end points x. */
static void count_ends(fms_figure *g, const double *x)
{
    const fms_data *d = g->set->data;
    for (long i = 0; i < g->count; i++) {
        long b = (long)floor((x[i] - g->f.x_lo) / g->bw);
        if (b >= 0 && b < FMS_FIGURE_BINS)
            g->counts[b] += 1;
        else
            g->outside++;
        size_t best = 0;
        for (size_t j = 1; j < d->n; j++)
            if (fabs(x[i] - d->x[j]) < fabs(x[i] - d->x[best]))
                best = j;
        g->near[best] += 1;
    }
    g->bar_max = 0.0;
    for (int b = 0; b < FMS_FIGURE_BINS; b++)
        g->bar_max = fmax(g->bar_max, g->counts[b] / (double)(g->count > 0 ? g->count : 1));
}

fms_status fms_samplefig_prepare(fms_figure *g, fms_error *err)
{
    const fms_data *d = g->set->data;
    fms_plot_frame *f = &g->f;
    double xmin = d->x[0], xmax = d->x[0], pmax = 0.0;
    for (size_t k = 0; k < d->n; k++) {
        xmin = fmin(xmin, d->x[k]);
        xmax = fmax(xmax, d->x[k]);
        pmax = fmax(pmax, d->prob[k]);
    }
    const double spread = xmax - xmin, pad = spread > 0 ? 0.6 * spread : 1.0;
    f->x_lo = xmin - pad;
    f->x_hi = xmax + pad;
    g->bw = (f->x_hi - f->x_lo) / FMS_FIGURE_BINS;
    snprintf(g->xlabel, sizeof g->xlabel, "x(1), where the trajectory ends");
    snprintf(g->ylabel, sizeof g->ylabel, "fraction of particles per bin");
    double *x = malloc(((size_t)g->count + 1) * sizeof *x);
    g->near = calloc(d->n, sizeof *g->near);
    fms_status st = x && g->near ? FMS_OK : fms_error_set(err, FMS_ENOMEM, 0, "out of memory for the particles");
    if (st == FMS_OK && g->count > 0)
        st = fms_figure_run(g, 0, x, err);
    if (st == FMS_OK)
        count_ends(g, x);
    free(x);
    f->y_lo = 0.0;
    f->y_hi = 1.15 * fmax(pmax, g->bar_max);
    f->clip = 0.0;
    legend(g);
    if (st == FMS_OK)
        st = fms_figure_labels_alloc(&g->labels, d->n, err);
    for (size_t k = 0; st == FMS_OK && k < d->n; k++) {
        char p[FMS_FIGTEXT_MAX], share[FMS_FIGTEXT_MAX];
        fms_figtext_number(d->prob[k], 3, p);
        fms_figtext_number(g->count > 0 ? g->near[k] / (double)g->count : 0.0, 3, share);
        snprintf(g->labels.text[k], sizeof g->labels.text[k], "%s: p = %s, sampled %s", d->labels[k], p, share);
    }
    return st;
}

/* The highest fraction drawn under the device span [lo, hi]: bars and levels. */
static double highest_under(const fms_figure *g, double lo, double hi)
{
    const fms_data *d = g->set->data;
    double v = 0.0, y;
    for (int b = 0; b < FMS_FIGURE_BINS; b++) {
        double x0, x1;
        fms_figure_map(g, g->f.x_lo + b * g->bw, 0.0, &x0, &y);
        fms_figure_map(g, g->f.x_lo + (b + 1) * g->bw, 0.0, &x1, &y);
        if (g->counts[b] > 0 && x1 >= lo && x0 <= hi)
            v = fmax(v, g->counts[b] / (double)g->count);
    }
    for (size_t k = 0; k < d->n; k++) {
        double x0, x1;
        fms_figure_map(g, d->x[k] - LEVEL_BINS * g->bw, 0.0, &x0, &y);
        fms_figure_map(g, d->x[k] + LEVEL_BINS * g->bw, 0.0, &x1, &y);
        if (x1 >= lo && x0 <= hi)
            v = fmax(v, d->prob[k]);
    }
    return v;
}

/* Each label's baseline: above its own level, what lies under it, and the
 * labels of lower rows it overlaps.  Returns the highest label top (device). */
static double place_rows(fms_figure *g)
{
    fms_figure_labels *l = &g->labels;
    const double fs = g->fs_note, h = 1.05 * fs;
    double top = INFINITY;
    for (int r = 0; r < l->rows; r++) {
        for (size_t k = 0; k < l->n; k++) {
            if (l->row[k] != r)
                continue;
            const double lo = l->left[k], hi = lo + l->width[k];
            double px, base;
            fms_figure_map(g, 0.0, fmax(g->set->data->prob[k], highest_under(g, lo, hi)), &px, &base);
            base -= 0.45 * fs;
            for (size_t j = 0; j < l->n; j++)
                if (l->row[j] < r && l->left[j] < hi && l->left[j] + l->width[j] > lo)
                    base = fmin(base, l->base[j] - h - 0.3 * fs);
            l->base[k] = base;
            top = fmin(top, base - h);
        }
    }
    return top;
}

/* The labels centred on their points (kept inside the plot area), each in
 * the lowest row where it overlaps no label placed before it (left to
 * right): close points stack their labels instead of pushing them aside. */
static void stack_rows(fms_figure *g)
{
    fms_figure_labels *l = &g->labels;
    const fms_plot_frame *f = &g->f;
    const double gap = 0.8 * g->fs_note;
    l->rows = 0;
    for (size_t k = 0; k < l->n; k++)
        l->row[k] = -1;
    for (size_t done = 0; done < l->n; done++) {
        size_t k = l->n;
        for (size_t j = 0; j < l->n; j++) /* the leftmost not yet placed */
            if (l->row[j] < 0 && (k == l->n || l->anchor[j] < l->anchor[k]))
                k = j;
        const double w = l->width[k];
        l->left[k] = fmin(fmax(l->anchor[k] - 0.5 * w, f->left + 4.0), f->left + f->width - 4.0 - w);
        int r = 0, clash = 1;
        /* At most FMS_FIGURE_MAX_ROWS rows: beyond them (hundreds of points) labels overlap. */
        for (; clash && r < FMS_FIGURE_MAX_ROWS - 1; r += clash) {
            clash = 0;
            for (size_t j = 0; j < l->n; j++)
                clash |= l->row[j] == r && l->left[j] < l->left[k] + w + gap && l->left[j] + l->width[j] + gap > l->left[k];
        }
        l->row[k] = r;
        l->rows = r + 1 > l->rows ? r + 1 : l->rows;
    }
}

void fms_samplefig_labels(fms_figure *g, cairo_t *cr)
{
    const fms_data *d = g->set->data;
    fms_figure_labels *l = &g->labels;
    fms_plot_frame *f = &g->f;
    for (size_t k = 0; k < d->n; k++) {
        double py;
        fms_figure_map(g, d->x[k], 0.0, &l->anchor[k], &py);
        l->width[k] = fms_figtext_width(cr, g->fs_note, l->text[k]);
    }
    stack_rows(g);
    /* Raise the axis's reach until every label fits under the top edge. */
    for (int i = 0; i < 20; i++) {
        const double short_by = f->top + 0.4 * g->pad - place_rows(g);
        if (short_by <= 0.0)
            break;
        f->y_hi *= 1.0 + 1.1 * short_by / f->height;
    }
}

/* The histogram's bars: the fraction of the particles per bin. */
static void draw_histogram(cairo_t *cr, const fms_figure *g)
{
    const fms_plot_frame *f = &g->f;
    cairo_save(cr);
    cairo_rectangle(cr, f->left, f->top, f->width, f->height);
    cairo_clip(cr);
    for (int b = 0; b < FMS_FIGURE_BINS && g->count > 0; b++) {
        if (g->counts[b] == 0)
            continue;
        double x0, y0, x1, y1;
        fms_figure_map(g, f->x_lo + b * g->bw, g->counts[b] / (double)g->count, &x0, &y0);
        fms_figure_map(g, f->x_lo + (b + 1) * g->bw, 0.0, &x1, &y1);
        cairo_rectangle(cr, x0, y0, x1 - x0, y1 - y0);
        fms_figure_rgb(cr, 0x4c72b0);
        cairo_fill_preserve(cr);
        fms_figure_rgb(cr, 0x2a4370);
        cairo_set_line_width(cr, 0.8 * g->lw);
        cairo_stroke(cr);
    }
    cairo_restore(cr);
}

/* Each label's probability as a dashed level over its point, and the label
 * (joined to its level by a leader line when it sits well above it). */
static void draw_levels(cairo_t *cr, const fms_figure *g)
{
    const fms_data *d = g->set->data;
    const fms_figure_labels *l = &g->labels;
    const double fs = g->fs_note;
    for (size_t k = 0; k < d->n; k++) {
        double px, py, pl, pr, dummy;
        fms_figure_map(g, d->x[k], d->prob[k], &px, &py);
        fms_figure_map(g, d->x[k] - LEVEL_BINS * g->bw, 0, &pl, &dummy);
        fms_figure_map(g, d->x[k] + LEVEL_BINS * g->bw, 0, &pr, &dummy);
        fms_figure_dashed_level(cr, g, pl, pr, py);
    }
    for (size_t k = 0; k < d->n; k++) {
        double px, py;
        fms_figure_map(g, d->x[k], d->prob[k], &px, &py);
        const double cx = l->left[k] + 0.5 * l->width[k], base = l->base[k];
        if (fabs(cx - px) > 0.5 || base < py - 1.5 * fs) {
            cairo_move_to(cr, cx, base + 0.3 * fs);
            cairo_line_to(cr, px, py - 0.3 * fs);
            cairo_set_source_rgb(cr, 0.45, 0.45, 0.45);
            cairo_set_line_width(cr, 0.6 * g->lw);
            cairo_stroke(cr);
        }
        cairo_set_source_rgb(cr, 0, 0, 0);
        fms_figtext_at(cr, fs, l->text[k], l->left[k], base, 0.0, 1.0, 1);
    }
}

fms_status fms_samplefig_draw(cairo_t *cr, fms_figure *g, fms_error *err)
{
    (void)err;
    draw_histogram(cr, g);
    draw_levels(cr, g);
    return FMS_OK;
}
