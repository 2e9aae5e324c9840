/* train.c — see train.h. */
#include "dynamics/train.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_randist.h>

#define ORDER 4 /* cubic */

void fms_train_free(fms_train_model *m)
{
    if (m == NULL)
        return;
    if (m->wx)
        gsl_bspline_free(m->wx);
    if (m->wt)
        gsl_bspline_free(m->wt);
    gsl_vector_free(m->bx);
    gsl_vector_free(m->bt);
    free(m->theta);
    free(m->loss_step);
    free(m->loss);
    free(m);
}

/* The nonzero basis values at (x, t): ORDER per axis and their first indices. */
static int basis(fms_train_model *m, double x, double t, size_t *ix, size_t *it)
{
    size_t e;
    int rc = gsl_bspline_eval_nonzero(x, m->bx, ix, &e, m->wx);
    if (rc == GSL_SUCCESS)
        rc = gsl_bspline_eval_nonzero(t, m->bt, it, &e, m->wt);
    return rc;
}

static double model_at(const fms_train_model *m, const double *theta, size_t ix, size_t it)
{
    double s = 0.0;
    for (size_t a = 0; a < ORDER; a++) {
        const double *row = theta + (ix + a) * m->nbt + it;
        double r = 0.0;
        for (size_t b = 0; b < ORDER; b++)
            r += row[b] * gsl_vector_get(m->bt, b);
        s += gsl_vector_get(m->bx, a) * r;
    }
    return s;
}

fms_status fms_train_eval(fms_train_model *m, double t, double x, double *u, fms_error *err)
{
    if (!(t >= 0.0 && t <= 1.0))
        return fms_error_set(err, FMS_EDOM, 0, "t = %g is outside the model's range [0, 1]", t);
    if (!(x >= m->x_lo && x <= m->x_hi))
        return fms_error_set(err, FMS_EDOM, 0, "x_t = %g is outside the model's range [%g, %g]", x, m->x_lo,
                             m->x_hi);
    size_t ix, it;
    if (basis(m, x, t, &ix, &it) != GSL_SUCCESS)
        return fms_error_set(err, FMS_EGSL, 0, "cannot evaluate the B-spline basis at (%g, %g)", x, t);
    *u = model_at(m, m->theta, ix, it);
    return FMS_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Breakpoints in x: a uniform grid of nx intervals, plus a cluster at each
 * midpoint m between neighbouring data points (m − h/8, m, m + h/8, grid
 * points closer than h/4 removed), where v becomes discontinuous as t → 1:
 * the narrow spans let the spline turn there instead of ringing across its
 * neighbours.  Clusters are added for up to FMS_TRAIN_CLUSTER_POINTS points. */
#define FMS_TRAIN_CLUSTER_POINTS 16
static fms_status x_breaks(const fms_data *d, double lo, double hi, size_t nx, double **out, size_t *nout)
{
    const size_t n = d->n <= FMS_TRAIN_CLUSTER_POINTS ? d->n : 0;
    double *xs = malloc((n + 1) * sizeof *xs);
    double *b = malloc((nx + 1 + 3 * (n + 1)) * sizeof *b);
    if (!xs || !b) {
        free(xs);
        free(b);
        return FMS_ENOMEM;
    }
    const double h = (hi - lo) / (double)nx;
    for (size_t k = 0; k < n; k++)
        xs[k] = d->x[k];
    qsort(xs, n, sizeof *xs, cmp_double);
    size_t nm = 0;
    for (size_t k = 0; k + 1 < n; k++)
        if (xs[k + 1] - xs[k] > h)
            xs[nm++] = 0.5 * (xs[k] + xs[k + 1]);
    size_t nb = 0;
    for (size_t j = 0; j <= nx; j++) {
        double g = j == nx ? hi : lo + (double)j * h;
        int keep = 1;
        for (size_t i = 0; i < nm && j > 0 && j < nx; i++)
            if (fabs(g - xs[i]) < 0.25 * h)
                keep = 0;
        if (keep)
            b[nb++] = g;
    }
    for (size_t i = 0; i < nm; i++) {
        b[nb++] = xs[i] - 0.125 * h;
        b[nb++] = xs[i];
        b[nb++] = xs[i] + 0.125 * h;
    }
    qsort(b, nb, sizeof *b, cmp_double);
    free(xs);
    *out = b;
    *nout = nb;
    return FMS_OK;
}

/* One draw of L1–L5. */
static void draw(gsl_rng *r, const gsl_ran_discrete_t *tab, const fms_data *d, double *x, double *t, double *u)
{
    size_t k = gsl_ran_discrete(r, tab);
    double eps = gsl_ran_gaussian_ziggurat(r, 1.0);
    *t = gsl_rng_uniform(r);
    *x = (1.0 - *t) * eps + *t * d->x[k];
    *u = d->x[k] - eps;
}

/* Solves (A + λI)θ = b into theta, A kept intact. */
static fms_status solve(const double *ata, const double *atb, size_t p, gsl_matrix *work, double *theta,
                        fms_error *err)
{
    double tr = 0.0;
    for (size_t i = 0; i < p; i++)
        tr += ata[i * p + i];
    const double lambda = 1e-6 * (tr > 0.0 ? tr / (double)p : 1.0) + 1e-300;
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < p; j++)
            gsl_matrix_set(work, i, j, ata[i * p + j] + (i == j ? lambda : 0.0));
    gsl_vector_const_view bv = gsl_vector_const_view_array(atb, p);
    gsl_vector_view tv = gsl_vector_view_array(theta, p);
    int rc = gsl_linalg_cholesky_decomp1(work);
    if (rc == GSL_SUCCESS)
        rc = gsl_linalg_cholesky_solve(work, &bv.vector, &tv.vector);
    if (rc != GSL_SUCCESS)
        return fms_error_set(err, FMS_EGSL, 0, "solving the least-squares system failed: %s", gsl_strerror(rc));
    return FMS_OK;
}

fms_status fms_train_fit(const fms_data *d, const fms_train_opts *o, fms_train_model **out, fms_error *err)
{
    if (o->steps < 1 || o->steps > FMS_TRAIN_MAX_STEPS)
        return fms_error_set(err, FMS_EINVAL, 0, "the number of steps must be 1 to %lld, not %lld",
                             FMS_TRAIN_MAX_STEPS, o->steps);
    if (o->nx > 1000 || o->nt > 1000)
        return fms_error_set(err, FMS_EINVAL, 0, "at most 1000 intervals per axis");
    if (d == NULL || d->n == 0)
        return fms_error_set(err, FMS_EINVAL, 0, "no data points");
    const size_t nx = o->nx ? o->nx : 32, nt = o->nt ? o->nt : 12;
    fms_train_model *m = calloc(1, sizeof *m);
    if (m == NULL)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory for the model");
    double lo = d->x[0], hi = d->x[0];
    for (size_t k = 1; k < d->n; k++) {
        lo = fmin(lo, d->x[k]);
        hi = fmax(hi, d->x[k]);
    }
    m->x_lo = lo - 4.0;
    m->x_hi = hi + 4.0;
    double *xb = NULL;
    size_t nxb = 0;
    if (x_breaks(d, m->x_lo, m->x_hi, nx, &xb, &nxb) != FMS_OK) {
        fms_train_free(m);
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory for the model");
    }
    m->nbx = nxb + ORDER - 2;
    m->nbt = nt + ORDER - 1;
    const size_t p = m->nbx * m->nbt;
    snprintf(m->description, sizeof m->description,
             "tensor-product cubic B-splines, %zu x %zu basis functions on x_t in [%g, %g], t in [0, 1]; least squares",
             m->nbx, m->nbt, m->x_lo, m->x_hi);

    fms_status st = FMS_OK;
    gsl_vector *brk = gsl_vector_alloc(nt + 1);
    gsl_matrix *work = gsl_matrix_alloc(p, p);
    double *ata = calloc(p * p, sizeof *ata), *atb = calloc(p, sizeof *atb);
    double *hx = malloc(FMS_TRAIN_HELDOUT * sizeof *hx), *ht = malloc(FMS_TRAIN_HELDOUT * sizeof *ht),
           *hu = malloc(FMS_TRAIN_HELDOUT * sizeof *hu);
    gsl_rng *rng = NULL, *hrng = NULL;
    gsl_ran_discrete_t *tab = gsl_ran_discrete_preproc(d->n, d->prob);
    m->wx = gsl_bspline_alloc(ORDER, nxb);
    m->wt = gsl_bspline_alloc(ORDER, nt + 1);
    m->bx = gsl_vector_alloc(ORDER);
    m->bt = gsl_vector_alloc(ORDER);
    m->theta = calloc(p, sizeof *m->theta);
    /* 1-2-5 checkpoints from 1000 up: at most 3 per decade. */
    m->loss_step = calloc(40, sizeof *m->loss_step);
    m->loss = calloc(40, sizeof *m->loss);
    if (!brk || !work || !ata || !atb || !hx || !ht || !hu || !tab || !m->wx || !m->wt || !m->bx || !m->bt ||
        !m->theta || !m->loss_step || !m->loss) {
        st = fms_error_set(err, FMS_ENOMEM, 0, "out of memory for the model");
        goto done;
    }
    if ((st = fms_stream_rng(o->seed, 0, &rng, err)) != FMS_OK ||
        (st = fms_stream_rng(o->seed, 1, &hrng, err)) != FMS_OK)
        goto done;
    for (size_t j = 0; j <= nt; j++) {
        double s = 1.0 - (double)j / (double)nt;
        gsl_vector_set(brk, j, 1.0 - s * s);
    }
    gsl_vector_view xbv = gsl_vector_view_array(xb, nxb);
    if (gsl_bspline_knots(&xbv.vector, m->wx) != GSL_SUCCESS ||
        gsl_bspline_knots(brk, m->wt) != GSL_SUCCESS) {
        st = fms_error_set(err, FMS_EGSL, 0, "cannot place the B-spline knots");
        goto done;
    }
    size_t nheld = 0;
    while (nheld < FMS_TRAIN_HELDOUT) {
        draw(hrng, tab, d, &hx[nheld], &ht[nheld], &hu[nheld]);
        if (hx[nheld] >= m->x_lo && hx[nheld] <= m->x_hi)
            nheld++;
    }
    long long next = 1000, mult_i = 0;
    static const int mult[3] = { 2, 5, 10 };
    long long base = 1000;
    for (long long s = 1; s <= o->steps; s++) {
        double x, t, u;
        draw(rng, tab, d, &x, &t, &u);
        if (x < m->x_lo || x > m->x_hi) {
            m->dropped++;
        } else {
            size_t ix, it;
            if (basis(m, x, t, &ix, &it) != GSL_SUCCESS) {
                st = fms_error_set(err, FMS_EGSL, 0, "cannot evaluate the B-spline basis at (%g, %g)", x, t);
                goto done;
            }
            double w[ORDER * ORDER];
            size_t idx[ORDER * ORDER];
            for (size_t a = 0; a < ORDER; a++)
                for (size_t b = 0; b < ORDER; b++) {
                    w[a * ORDER + b] = gsl_vector_get(m->bx, a) * gsl_vector_get(m->bt, b);
                    idx[a * ORDER + b] = (ix + a) * m->nbt + it + b;
                }
            for (size_t a = 0; a < ORDER * ORDER; a++) {
                double *row = ata + idx[a] * p;
                for (size_t b = 0; b < ORDER * ORDER; b++)
                    row[idx[b]] += w[a] * w[b];
                atb[idx[a]] += w[a] * u;
            }
            m->used++;
        }
        if ((s & 0xffff) == 0 && o->progress)
            o->progress(o->progress_ctx, (double)s / (double)o->steps);
        if (s == next || s == o->steps) {
            if ((st = solve(ata, atb, p, work, m->theta, err)) != FMS_OK)
                goto done;
            double sse = 0.0;
            for (size_t h = 0; h < FMS_TRAIN_HELDOUT; h++) {
                size_t ix, it;
                if (basis(m, hx[h], ht[h], &ix, &it) != GSL_SUCCESS) {
                    st = fms_error_set(err, FMS_EGSL, 0, "cannot evaluate the B-spline basis");
                    goto done;
                }
                double r = model_at(m, m->theta, ix, it) - hu[h];
                sse += r * r;
            }
            m->loss_step[m->nloss] = s;
            m->loss[m->nloss] = sse / FMS_TRAIN_HELDOUT;
            m->nloss++;
            if (s == next) {
                next = base * mult[mult_i];
                if (++mult_i == 3) {
                    mult_i = 0;
                    base *= 10;
                }
            }
            if (o->progress)
                o->progress(o->progress_ctx, (double)s / (double)o->steps);
        }
    }
done:
    free(xb);
    gsl_vector_free(brk);
    gsl_matrix_free(work);
    free(ata);
    free(atb);
    free(hx);
    free(ht);
    free(hu);
    if (rng)
        gsl_rng_free(rng);
    if (hrng)
        gsl_rng_free(hrng);
    gsl_ran_discrete_free(tab);
    if (st != FMS_OK) {
        fms_train_free(m);
        return st;
    }
    *out = m;
    return FMS_OK;
}
