/* plot.h — figures of an exercise set: the velocity field, the posterior
 * share and the samples, drawn with cairo into PNG, SVG or PDF files.
 *
 * Three figures (fms_plot_kind):
 *
 *   field      a heatmap of the exact marginal velocity u*(x_t, t) =
 *              E[x1 − ε | x_t, t] over x_t (horizontal) and t ∈ [0, 1)
 *              (vertical, t = 0 at the bottom), with a diverging colour map
 *              centred on 0 (blue: u* < 0, the flow moves down in x; red:
 *              u* > 0) and clipped at ±clip (see below); a colour bar; N
 *              seeded trajectories of the sampler of `fmsolve sample`
 *              (sampler.h: method, grid, evaluations; their starting noise
 *              comes in antithetic pairs ±z, z from fms_sampler_noise, so
 *              that few curves show both sides evenly), drawn as cubic
 *              Hermite curves through the grid times; the curves where the
 *              two most likely labels' shares are equal; the set's point
 *              exercises as dots with their ids; the data points as
 *              triangles at t = 1, every one labelled.
 *   posterior  the share w_1(x_t, t) of the first label of the data (0 to 1)
 *              with a sequential colour map (viridis), the same axes, curves
 *              and marks (no trajectories).
 *   samples    a histogram of the end points x(1) of N particles of the
 *              sampler (the fraction of particles per bin), with each
 *              label's probability p_k marked as a dashed level over x_k and
 *              labelled with the share of particles that ended nearest to
 *              x_k.  The fraction axis reaches above the tallest bar and
 *              every label, so no bar is ever cut.
 *
 * The heatmaps evaluate the kernel (kernel.h) row by row: u* = (x̂1 − x)/(1 − t),
 * w_1 as the posterior mean of the indicator of label 1; the borders are
 * traced with the engine (engine.h) where neighbouring nodes disagree.
 *
 * Text: numbers as figtext.h writes them (powers of ten as superscripts,
 * a common exponent beside an axis's title); the legend sits above the
 * plot area, between the title and the data points' labels, so it covers
 * no data; labels of close points move apart along the edge (in more rows
 * when they must), joined to their point by a leader line.
 *
 * Resolution: when the end points spread less than a quarter of the
 * data's standard deviation (fms_sampler_resolved), the sampler has merged
 * the data points: the figure says so under its title, suggesting more
 * steps or another method, and opts.warn is told the same.
 *
 * The x_t range covers the data and the noise: from min(−3, min x_k, the
 * exercises' x_t) to max(3, max x_k, the exercises' x_t), widened by 5% on
 * each side (x_t = (1 − t)·ε + t·x1 with |ε| ≤ 3 stays inside).  The samples
 * figure uses the data range widened by 60% of the spread on each side (by
 * 1 for a single point).
 *
 * Clip level of the field's colour map: by default the largest |u*| on the
 * bottom edge t = 0, max(|u*(x_lo, 0)|, |u*(x_hi, 0)|) (u*(x, 0) = E[x1] − x):
 * the t = 0 row then spans the whole map and the steep region near t = 1,
 * where |u*| grows like 1/(1 − t), saturates instead of washing out the rest.
 * The colour bar ends in triangles to show that values beyond ±clip exist.
 *
 * Files: the extension of the path (.png, .svg or .pdf, any case) picks the
 * format.  The figure is written to a temporary file in the same directory
 * and renamed over path only when it is complete, so a failure leaves no
 * file (and an existing file at path untouched).  Sizes are pixels for PNG
 * and points (1/72 inch) for SVG and PDF.
 */
#ifndef FMS_PLOT_H
#define FMS_PLOT_H

#include <stddef.h>
#include <stdint.h>

#include "model/exset.h"
#include "base/status.h"
#include "base/stream.h"
#include "dynamics/sampler.h"

#define FMS_PLOT_MIN_SIDE 200   /* smaller figures cannot hold their labels */
#define FMS_PLOT_MAX_SIDE 10000
#define FMS_PLOT_MAX_STEPS 100000 /* model evaluations per trajectory: far past what a picture can show */
#define FMS_PLOT_MAX_TRAJECTORIES 1000000

typedef enum fms_plot_kind {
    FMS_PLOT_FIELD,
    FMS_PLOT_POSTERIOR,
    FMS_PLOT_SAMPLES
} fms_plot_kind;

typedef enum fms_plot_format {
    FMS_PLOT_PNG,
    FMS_PLOT_SVG,
    FMS_PLOT_PDF
} fms_plot_format;

/* Told the fraction of a figure's work done so far (0 to 1), a few hundred
 * times per figure at most; for a progress bar.  The progress type of every
 * long run (stream.h). */
typedef fms_progress_fn fms_plot_progress_fn;

/* Told a warning about the figure (one sentence, plain text), at most once
 * per figure: the library never prints; the command line writes it on
 * stderr.  The figure says the same in its own words. */
typedef void (*fms_plot_warn_fn)(void *ctx, const char *message);

typedef struct fms_plot_opts {
    int width, height;     /* the figure's size; default 1200 × 800 */
    long trajectories;     /* field: curves drawn (default 24); samples: particles
                              (default 4000); posterior: unused.  −1 = the default */
    long steps;            /* model evaluations per trajectory (default 100), as `fmsolve
                              sample --steps`; for adaptive, the trajectory's output times */
    fms_sampler_method method; /* the sampler (default FMS_SAMPLER_DEFAULT_METHOD) */
    double rho;            /* its grid (default FMS_SAMPLER_DEFAULT_RHO) */
    double tol;            /* adaptive: its tolerance (default FMS_SAMPLER_DEFAULT_TOL) */
    uint64_t seed;         /* the noise generator's seed, any 64-bit value (default 1): the
                              starting noise is fms_sampler_noise(seed, ...) */
    double clip;           /* the field's colour map clips at ±clip; 0 = automatic (above) */
    fms_plot_progress_fn progress; /* NULL (the default) for none */
    void *progress_ctx;
    fms_plot_warn_fn warn; /* NULL (the default) for none */
    void *warn_ctx;
} fms_plot_opts;

/* Where the figure's data live on the page: the plot area's rectangle in
 * device units (pixels for PNG; integers) and the data ranges it shows.
 * Horizontal is x_t (x_lo at the left edge of the area, x_hi at the right);
 * vertical is t for field and posterior (y_lo = 0 at the bottom edge, y_hi =
 * 1 at the top) and the fraction of particles for samples. */
typedef struct fms_plot_frame {
    double left, top, width, height;
    double x_lo, x_hi, y_lo, y_hi;
    double clip;           /* the clip level in use (field only; 0 otherwise) */
} fms_plot_frame;

/* Sets the defaults listed in fms_plot_opts; cannot fail. */
void fms_plot_options_init(fms_plot_opts *opt);

/* Checks options: FMS_OK, or FMS_EINVAL with a message naming the bad value
 * when a side is outside [FMS_PLOT_MIN_SIDE, FMS_PLOT_MAX_SIDE], trajectories
 * is below −1 or above FMS_PLOT_MAX_TRAJECTORIES, steps is outside
 * [1, FMS_PLOT_MAX_STEPS], clip is negative or not finite, or the method,
 * rho or tol is refused by fms_sampler_spec_check. */
fms_status fms_plot_options_check(const fms_plot_opts *opt, fms_error *err);

/* Parses "field", "posterior" or "samples"; FMS_EINVAL (with a message) otherwise. */
fms_status fms_plot_kind_parse(const char *name, fms_plot_kind *out, fms_error *err);

/* The name of a kind ("field", ...); "?" for a value outside the enum. */
const char *fms_plot_kind_name(fms_plot_kind kind);

/* The format named by path's extension (.png, .svg, .pdf, any case).
 * Errors: FMS_EINVAL for a NULL or empty path or any other extension. */
fms_status fms_plot_format_from_path(const char *path, fms_plot_format *out, fms_error *err);

/* Computes the layout of a figure without drawing it: the same frame that
 * fms_plot_write uses, so that callers (tests) can find the pixel of a data
 * point.  Errors: FMS_EINVAL for bad options (fms_plot_options_check), a NULL
 * set or one without data points, a kind outside the enum, or a size too
 * small for the labels; the engine's errors (fms_engine_eval). */
fms_status fms_plot_frame_compute(const fms_exset *set, fms_plot_kind kind, const fms_plot_opts *opt,
                                  fms_plot_frame *out, fms_error *err);

/* The device position (px, py) of the data point (x, y) in frame f:
 * px = left + (x − x_lo)/(x_hi − x_lo)·width, py = top + (y_hi − y)/(y_hi − y_lo)·height.
 * The pixel that holds it is (floor(px), floor(py)). */
void fms_plot_frame_map(const fms_plot_frame *f, double x, double y, double *px, double *py);

/* What a figure places besides its data, for tests of its structure: each
 * box is a rectangle in device units ([x0, x1] × [y0, y1], y downward). */
typedef enum fms_plot_box_kind {
    FMS_PLOT_BOX_LEGEND,      /* a legend entry (swatch and text); index: the entry */
    FMS_PLOT_BOX_POINT_LABEL, /* field, posterior: a data point's label; index: the point */
    FMS_PLOT_BOX_LEVEL_LABEL, /* samples: a probability's label; index: the point */
    FMS_PLOT_BOX_BAR,         /* samples: a histogram bar; index: the bin */
    FMS_PLOT_BOX_WARNING      /* the warning under the title */
} fms_plot_box_kind;

typedef struct fms_plot_box {
    fms_plot_box_kind kind;
    size_t index;
    double x0, y0, x1, y1;
} fms_plot_box;

/* The boxes of figure kind (as fms_plot_write would draw it, without
 * drawing): *out (to be freed) receives *n boxes.  Errors as
 * fms_plot_frame_compute, FMS_ENOMEM. */
fms_status fms_plot_boxes(const fms_exset *set, fms_plot_kind kind, const fms_plot_opts *opt, fms_plot_box **out,
                          size_t *n, fms_error *err);

/* Draws figure kind of set with options opt (NULL for the defaults) into the
 * file path, in the format its extension names.  Errors: those of
 * fms_plot_format_from_path and fms_plot_frame_compute (FMS_EINVAL, the
 * engine's), those of fms_sampler_euler, FMS_EIO (the file cannot be created
 * or written; the message names path and the reason), FMS_ENOMEM.  On any
 * error no file is left at path (and an existing file there is untouched). */
fms_status fms_plot_write(const fms_exset *set, fms_plot_kind kind, const fms_plot_opts *opt,
                          const char *path, fms_error *err);

/* Releases the font and surface caches that cairo and fontconfig keep for
 * the life of the process (cairo_debug_reset_static_data, FcFini), so that
 * a leak checker sees a clean exit.  Call it once, at the end of the
 * program, when no cairo object is alive; it cannot fail. */
void fms_plot_release_caches(void);

#endif /* FMS_PLOT_H */
