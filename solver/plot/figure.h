/* figure.h — what the parts of plot.h share (private to solver/plot/):
 * a figure's options, layout and precomputed runs, and the drawing helpers
 * of plot.c that heatfig.c (field, posterior) and samplefig.c (samples) use.
 *
 * A figure is made in three stages: prepare (the runs the layout depends
 * on: the field's trajectories, the samples' particles, so that a warning
 * or the tallest bar is known), layout (margins from the text they hold,
 * the plot area, ticks, the legend and labels above the plot area), draw.
 */
#ifndef FMS_FIGURE_H
#define FMS_FIGURE_H

#include <stddef.h>

#include <cairo.h>

#include "plot/plot.h"
#include "plot/figtext.h"
#include "dynamics/sampler.h"

#define FMS_FIGURE_BINS 60        /* the samples histogram's bins */
#define FMS_FIGURE_MAX_LEGEND 4
#define FMS_FIGURE_MAX_ROWS 4     /* rows of labels above the plot area */

typedef enum fms_figure_swatch {
    FMS_SWATCH_CURVE,
    FMS_SWATCH_BORDER,
    FMS_SWATCH_DOT,
    FMS_SWATCH_BAR,
    FMS_SWATCH_DASH
} fms_figure_swatch;

/* Labels placed along a line above something (data points, levels):
 * label i has its left edge at left[i] and sits in row[i] (0 nearest);
 * base[i] is its baseline where the figure sets one (samples). */
typedef struct fms_figure_labels {
    size_t n;
    char (*text)[160];
    double *anchor, *width, *left, *base;
    int *row;
    int rows;
} fms_figure_labels;

typedef struct fms_figure {
    const fms_exset *set;
    fms_plot_kind kind;
    fms_plot_opts opt;
    fms_sampler_spec spec;   /* the sampler of the trajectories or particles */
    long count;              /* trajectories (field) or particles (samples) */
    double W, H, s;
    double fs_tick, fs_label, fs_title, fs_note, pad, tick_len, lw;
    fms_plot_frame f;
    fms_figtext_ticks xt, yt, ct;   /* x, y and colour-bar ticks */
    double cb_left, cb_width, cb_top, cb_bottom, cb_tri;
    char title[512], cb_title[256], xlabel[192], ylabel[192];
    /* Above the plot area, from the top: the title, the warning, the legend, the labels. */
    char warning[512];       /* empty: none */
    double warning_y;
    size_t nlegend;
    fms_figure_swatch legend_swatch[FMS_FIGURE_MAX_LEGEND];
    char legend_text[FMS_FIGURE_MAX_LEGEND][192];
    double legend_y, legend_x[FMS_FIGURE_MAX_LEGEND];
    int legend_row[FMS_FIGURE_MAX_LEGEND], legend_rows;
    fms_figure_labels labels; /* heat: the data points'; samples: the levels' */
    size_t nsteps;           /* field: the trajectories' steps (their rows − 1) */
    /* samples: the histogram, the particles nearest to each point, the end points' spread */
    double bw, counts[FMS_FIGURE_BINS], *near, ends_std, bar_max;
    long outside;
    /* Progress, in model evaluations (sampler) and grid nodes (heatmap). */
    double work_total, work_done, work_reported;
} fms_figure;

/* plot.c: helpers for the figures. */
void fms_figure_map(const fms_figure *g, double x, double y, double *px, double *py);
void fms_figure_rgb(cairo_t *cr, unsigned hex);
void fms_figure_progress(fms_figure *g, double work);
/* The dashed level of a probability from x0 to x1 at device height y. */
void fms_figure_dashed_level(cairo_t *cr, const fms_figure *g, double x0, double x1, double y);
/* An exercise point's mark at (px, py): a black disc in a white ring with a
 * thin black edge, the same on any background and in the legend. */
void fms_figure_dot(cairo_t *cr, const fms_figure *g, double px, double py);
/* The figure's starting noise: count draws of fms_sampler_noise(seed), in
 * antithetic pairs ±z when antithetic.  Errors: FMS_ENOMEM. */
fms_status fms_figure_noise(const fms_figure *g, int antithetic, double *x, fms_error *err);
/* The m particles at x through the sampler spec, traj as for
 * fms_sampler_solve (NULL for none); reports progress.  Errors: those of
 * fms_sampler_solve, FMS_ENOMEM. */
fms_status fms_figure_solve(fms_figure *g, size_t m, double *x, double *traj, fms_error *err);
/* The times of a trajectory's rows rows: the grid (fixed-step methods) or j/N (adaptive). */
void fms_figure_times(const fms_figure *g, size_t rows, double *times);
/* The figure's count particles from their noise to their end points in x
 * (noise then solve), and the warning when the end points do not resolve
 * the data.  Errors as fms_figure_solve. */
fms_status fms_figure_run(fms_figure *g, int antithetic, double *x, fms_error *err);
/* Places labels (text, anchor and width set) in as few rows as fit the
 * plot area's width; returns the rows.  Cannot fail (falls back to the anchors). */
int fms_figure_spread(const fms_figure *g, fms_figure_labels *l);
/* Allocates n labels; FMS_ENOMEM. */
fms_status fms_figure_labels_alloc(fms_figure_labels *l, size_t n, fms_error *err);
void fms_figure_labels_free(fms_figure_labels *l);

/* heatfig.c: the field and the posterior. */
fms_status fms_heatfig_prepare(fms_figure *g, fms_error *err);
/* The data points' labels above the top edge, after the plot area is known. */
void fms_heatfig_labels(fms_figure *g, cairo_t *cr);
fms_status fms_heatfig_draw(cairo_t *cr, fms_figure *g, fms_error *err);
/* The baseline of data point k's label (device). */
double fms_heatfig_label_base(const fms_figure *g, size_t k);

/* samplefig.c: the samples. */
fms_status fms_samplefig_prepare(fms_figure *g, fms_error *err);
/* The levels' labels and the y range that keeps them and every bar inside,
 * after the plot area's width is known. */
void fms_samplefig_labels(fms_figure *g, cairo_t *cr);
fms_status fms_samplefig_draw(cairo_t *cr, fms_figure *g, fms_error *err);

#endif /* FMS_FIGURE_H */
