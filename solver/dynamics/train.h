/* train.h — learning u_θ by the sheet's L6 with a documented function class.
 *
 * The model is a tensor-product cubic B-spline in (x_t, t):
 *
 *   u_θ(x, t) = Σ_i Σ_j θ_ij · B_i(x) · C_j(t),
 *
 * B_i on [x_lo, x_hi] = [min_k x_k − 4, max_k x_k + 4] (where x_t lies with
 * probability above 0.9999 at every t) on breakpoints that are a uniform grid
 * of nx intervals plus, for sets of up to 16 points, a cluster of three
 * breakpoints (m − h/8, m, m + h/8, h the grid spacing; grid points closer
 * than h/4 to m removed) at each midpoint m between neighbouring data points
 * more than h apart: there v becomes discontinuous as t → 1, and the narrow
 * spans let the spline turn there instead of ringing across its neighbours
 * (without them u_θ at the sheet's 1.3 is off by 0.08).  C_j on
 * [0, 1] with nt intervals whose breakpoints t_j = 1 − (1 − j/nt)² crowd
 * toward t = 1, where the field steepens like 1/(1 − t).  Bases come from
 * gsl_bspline.
 *
 * Training is L6 taken literally: θ minimises Σ_s (u_θ(x_s, t_s) − u_s)² over
 * samples s drawn by L1–L5 (the draws of simulate.h) — the least-squares
 * problem, solved exactly from its normal equations, which are accumulated
 * while the samples stream by (memory p², p = nbx·nbt, whatever the
 * number of samples).  A ridge λ = 1e-6 times the mean diagonal (1e-6 when
 * it is 0), solving (AᵀA + λI)θ = Aᵀu by Cholesky, keeps basis functions that
 * no sample reached at 0.  Samples with x_t outside
 * [x_lo, x_hi] are dropped and counted.  Nothing of the closed form enters
 * the fit.
 *
 * The loss curve: at 1, 2, 5, 10, 20, ... thousand samples and at the end,
 * the current fit is solved and its mean squared error measured on 10^4
 * held-out samples (a separate stream).  The loss includes the irreducible
 * variance E[Var(u | x_t, t)] of the targets, so it levels off above 0.
 *
 * Training draws from stream 0 of the seed and the held-out set from
 * stream 1 (stream.h), sequentially: the result does not depend on threads.
 */
#ifndef FMS_TRAIN_H
#define FMS_TRAIN_H

#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_bspline.h>
#include <gsl/gsl_vector.h>

#include "model/data.h"
#include "base/status.h"
#include "base/stream.h"

#define FMS_TRAIN_MAX_STEPS 1000000000LL
#define FMS_TRAIN_HELDOUT 10000

typedef struct fms_train_opts {
    long long steps;          /* training samples, ≥ 1 */
    uint64_t seed;
    size_t nx, nt;            /* intervals in x and in t; 0 means the default (32, 12) */
    fms_progress_fn progress; /* may be NULL */
    void *progress_ctx;
} fms_train_opts;

typedef struct fms_train_model {
    double x_lo, x_hi;
    size_t nbx, nbt;          /* basis functions per axis (breakpoints + 2) */
    gsl_bspline_workspace *wx, *wt;
    gsl_vector *bx, *bt;      /* scratch for evaluation */
    double *theta;            /* nbx·nbt coefficients, θ_ij at i·nbt + j */
    size_t nloss;
    long long *loss_step;     /* samples seen at each point of the loss curve */
    double *loss;             /* held-out mean squared error there */
    long long used, dropped;  /* samples in the fit, samples outside [x_lo, x_hi] */
    char description[160];    /* one line naming the function class */
} fms_train_model;

/* Fits the model to opts->steps samples of the training loop on data d.
 * On success *out must be released with fms_train_free.  Errors: FMS_EINVAL
 * for steps outside [1, FMS_TRAIN_MAX_STEPS], nx or nt above 1000, or a NULL
 * or empty d; FMS_EGSL when a GSL routine fails (knots that cannot be placed,
 * a basis that cannot be evaluated, a singular system); FMS_ENOMEM. */
fms_status fms_train_fit(const fms_data *d, const fms_train_opts *opts, fms_train_model **out,
                         fms_error *err);

/* *u = u_θ(x, t).  Uses the model's scratch: not for two threads at once.
 * Errors: FMS_EDOM when t is outside [0, 1] or x outside [x_lo, x_hi] (the
 * message names the value and the range); FMS_EGSL. */
fms_status fms_train_eval(fms_train_model *m, double t, double x, double *u, fms_error *err);

/* Releases a model; NULL is allowed. */
void fms_train_free(fms_train_model *m);

#endif /* FMS_TRAIN_H */
