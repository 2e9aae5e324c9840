/* method.c — see method.h; the formulas are in sampler.h. */
#include "dynamics/method.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/cancel.h"
#include "dynamics/clones.h"

/* The ε-model is evaluated at t = h instead of its 0/0 at t = 0. */
#define EPS_T0_H 0x1p-20
/* The adaptive method's end: σ_end = 30·ln 2, t_end = 1 − 2^−30. */
#define ADAPTIVE_S_END (30.0 * 0.69314718055994530942)

size_t fms_method_batch(const fms_kernel *k, const fms_sampler_spec *spec)
{
    size_t b = spec->method == FMS_SAMPLER_ADAPTIVE ? FMS_SAMPLER_ADAPTIVE_BATCH : FMS_SAMPLER_BATCH;
    return k->n >= 128 ? 8 * b : b;
}

fms_status fms_method_init(fms_method_solver *s, const fms_kernel *k, const fms_sampler_spec *spec, fms_error *err)
{
    *s = (fms_method_solver){ .k = k, .spec = *spec, .prepared_t = NAN };
    s->nint = fms_sampler_intervals(spec->method, spec->steps);
    s->batch = fms_method_batch(k, spec);
    fms_status st = fms_kernel_at_new(k, &s->at, err);
    if (st != FMS_OK)
        return st;
    s->buf = malloc(9 * s->batch * sizeof *s->buf);
    if (s->buf == NULL) {
        fms_method_free(s);
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory for the sampler");
    }
    for (int i = 0; i < 7; i++)
        s->kk[i] = s->buf + (size_t)i * s->batch;
    s->tmp = s->buf + 7 * s->batch;
    s->xn = s->buf + 8 * s->batch;
    return FMS_OK;
}

void fms_method_free(fms_method_solver *s)
{
    fms_kernel_at_free(s->at);
    free(s->buf);
    s->at = NULL;
    s->buf = NULL;
}

size_t fms_method_outputs(const fms_method_solver *s)
{
    return s->spec.method == FMS_SAMPLER_ADAPTIVE ? (size_t)s->spec.steps : (size_t)s->nint;
}

/* 1 when every x[i] is finite; *xabs = max |x[i]|.  On the bit patterns
 * with the sign cleared, which order like the magnitudes and put infinities
 * and NaNs above every finite value: an integer maximum, which vectorises. */
FMS_CLONES
static int bound(size_t m, const double *x, double *xabs)
{
    int64_t big = 0;
    for (size_t i = 0; i < m; i++) {
        int64_t b;
        memcpy(&b, &x[i], sizeof b);
        b &= INT64_MAX;
        big = b > big ? b : big;
    }
    memcpy(xabs, &big, sizeof big);
    return big < 0x7ff0000000000000LL; /* the pattern of +∞ */
}

/* v = the model's velocity at (x, t) for m particles with |x| ≤ xabs. */
static fms_status field(fms_method_solver *s, double t, size_t m, const double *x, double xabs, double *v,
                        fms_error *err)
{
    /* ε and the score carry no information about x1 at t = 0 (α = 0): a step there is a difference quotient. */
    const int flat_at_0 = s->spec.param == FMS_SAMPLER_EPSILON || s->spec.param == FMS_SAMPLER_SCORE;
    const double te = t == 0.0 && flat_at_0 ? EPS_T0_H : t;
    fms_status st = FMS_OK;
    if (te != s->prepared_t) {
        s->prepared_t = NAN;
        st = fms_kernel_prepare(s->k, te, s->at, err);
        if (st != FMS_OK)
            return st;
        s->prepared_t = te;
    }
    st = fms_kernel_check_range(s->k, s->at, xabs, err);
    if (st != FMS_OK)
        return st;
    fms_kernel_x1hat_unchecked(s->k, s->at, m, x, v);
    fms_sampler_model_output(s->spec.param, te, m, x, v, v);
    fms_sampler_velocity_from(s->spec.param, te, m, x, v, v);
    s->evals += 1.0;
    return FMS_OK;
}

/* out = x + Σ_j h·a[j]·k_j over the stages j < ns with a[j] ≠ 0. */
FMS_CLONES
static void axpy(size_t m, const double *x, double f, const double *k, double *out)
{
    for (size_t i = 0; i < m; i++)
        out[i] = x[i] + f * k[i];
}

/* out = x + Σ_j h·a[j]·k_j over the stages j < ns with a[j] ≠ 0; *xabs its bound. */
static fms_status combine(const fms_method_solver *s, size_t m, const double *x, double h, const double *a, int ns,
                          double *out, double *xabs, fms_error *err)
{
    const double *from = x;
    for (int j = 0; j < ns; j++) {
        if (a[j] != 0.0) {
            axpy(m, from, h * a[j], s->kk[j], out);
            from = out;
        }
    }
    if (from != out)
        memcpy(out, x, m * sizeof *out);
    if (!bound(m, out, xabs))
        return fms_error_set(err, FMS_ERANGE, 0, "a particle left the range of a double");
    return FMS_OK;
}

/* Butcher tables of the explicit Runge–Kutta methods. */
typedef struct rk_table {
    int stages;
    double c[4], a[4][4], b[4];
} rk_table;

static const rk_table rk_euler = { 1, { 0 }, { { 0 } }, { 1 } };
static const rk_table rk_tables[] = {
    [FMS_SAMPLER_EULER] = { 1, { 0 }, { { 0 } }, { 1 } },
    [FMS_SAMPLER_MIDPOINT] = { 2, { 0, 0.5 }, { { 0 }, { 0.5 } }, { 0, 1 } },
    [FMS_SAMPLER_HEUN] = { 2, { 0, 1 }, { { 0 }, { 1 } }, { 0.5, 0.5 } },
    [FMS_SAMPLER_RK4] = { 4, { 0, 0.5, 0.5, 1 }, { { 0 }, { 0.5 }, { 0, 0.5 }, { 0, 0, 1 } },
                          { 1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6 } },
};

/* One step t → tn of a Runge–Kutta method; Euler instead when the step ends
 * at t = 1 and the method has a stage there. */
static fms_status rk_step(fms_method_solver *s, const rk_table *tb, double t, double tn, size_t m, double *x,
                          double *xabs, fms_error *err)
{
    if (tn == 1.0 && tb->c[tb->stages - 1] == 1.0)
        tb = &rk_euler;
    const double h = tn - t;
    fms_status st = FMS_OK;
    for (int i = 0; st == FMS_OK && i < tb->stages; i++) {
        const double ti = tb->c[i] == 1.0 ? tn : t + tb->c[i] * h;
        double yabs = *xabs;
        const double *y = x;
        if (i > 0) {
            st = combine(s, m, x, h, tb->a[i], i, s->tmp, &yabs, err);
            y = s->tmp;
        }
        if (st == FMS_OK)
            st = field(s, ti, m, y, yabs, s->kk[i], err);
    }
    if (st == FMS_OK)
        st = combine(s, m, x, h, tb->b, tb->stages, x, xabs, err);
    return st;
}

/* One DPM-Solver-2 step t → tn (sampler.h); Euler when it ends at t = 1. */
static fms_status dpm2_step(fms_method_solver *s, double t, double tn, size_t m, double *x, double *xabs,
                            fms_error *err)
{
    static const double one[1] = { 1.0 };
    fms_status st = field(s, t, m, x, *xabs, s->kk[0], err);
    if (st != FMS_OK)
        return st;
    if (tn == 1.0)
        return combine(s, m, x, tn - t, one, 1, x, xabs, err);
    double tm = 0.5 * tn;
    if (t > 0.0) {
        const double odds = sqrt(t / (1.0 - t) * (tn / (1.0 - tn)));
        tm = odds / (1.0 + odds);
    }
    double uabs;
    st = combine(s, m, x, tm - t, one, 1, s->tmp, &uabs, err);
    if (st == FMS_OK)
        st = field(s, tm, m, s->tmp, uabs, s->kk[1], err);
    if (st != FMS_OK)
        return st;
    const double f = (tn - t) / (1.0 - t), omtm = 1.0 - tm;
    const double *u = s->tmp, *vm = s->kk[1];
    for (size_t i = 0; i < m; i++)
        x[i] += f * (u[i] + omtm * vm[i] - x[i]);
    if (!bound(m, x, xabs))
        return fms_error_set(err, FMS_ERANGE, 0, "a particle left the range of a double");
    return FMS_OK;
}

static void record(const fms_method_record *rec, size_t j, int mid, size_t m, const double *x)
{
    if (rec->traj && j >= 1 && j <= rec->nout)
        memcpy(rec->traj + j * rec->stride, x, m * sizeof *x);
    if (rec->xmid && mid)
        memcpy(rec->xmid, x, m * sizeof *x);
}

/* The positions at t = 1/2 inside the step t → tn: cubic Hermite
 * interpolation between xa (at t, where kk[0] holds the slope, every
 * method's first stage) and x (at tn, whose slope costs one evaluation that
 * is not counted: it serves the comparison, not the method).  In place in
 * xa.  A step that ends at t = 1, where there is no slope, is interpolated
 * by the quadratic through xa, its slope and x. */
static fms_status mid_interpolate(fms_method_solver *s, double t, double tn, size_t m, const double *x,
                                  double xabs, double *xa, fms_error *err)
{
    const double h = tn - t, u = (0.5 - t) / h;
    const double *fa = s->kk[0], *fb = s->kk[1];
    if (tn == 1.0) {
        for (size_t i = 0; i < m; i++)
            xa[i] += u * h * fa[i] + u * u * (x[i] - xa[i] - h * fa[i]);
        return FMS_OK;
    }
    fms_status st = field(s, tn, m, x, xabs, s->kk[1], err);
    if (st != FMS_OK)
        return st;
    s->evals -= 1.0;
    const double h00 = (2 * u - 3) * u * u + 1, h10 = ((u - 2) * u + 1) * u, h01 = (3 - 2 * u) * u * u,
                 h11 = (u - 1) * u * u;
    for (size_t i = 0; i < m; i++)
        xa[i] = h00 * xa[i] + h10 * h * fa[i] + h01 * x[i] + h11 * h * fb[i];
    return FMS_OK;
}

static fms_status fixed_run(fms_method_solver *s, size_t m, double *x, const fms_method_record *rec,
                            double xabs, fms_error *err)
{
    const long long n = s->nint;
    const double rho = s->spec.rho;
    /* t = 1/2 is grid time jm, or inside step jm (interpolated). */
    const long long jm = fms_sampler_mid_step(rho, n);
    const int on_grid = fms_sampler_grid_time(rho, jm, n) == 0.5;
    fms_status st = FMS_OK;
    for (long long j = 0; st == FMS_OK && (st = fms_cancel_poll(err)) == FMS_OK && j < n; j++) {
        const double t = fms_sampler_grid_time(rho, j, n), tn = fms_sampler_grid_time(rho, j + 1, n);
        const int mid_inside = rec->xmid && j == jm && !on_grid;
        if (mid_inside)
            memcpy(rec->xmid, x, m * sizeof *x);
        if (s->spec.method == FMS_SAMPLER_DPM2)
            st = dpm2_step(s, t, tn, m, x, &xabs, err);
        else
            st = rk_step(s, &rk_tables[s->spec.method], t, tn, m, x, &xabs, err);
        if (st == FMS_OK && mid_inside)
            st = mid_interpolate(s, t, tn, m, x, xabs, rec->xmid, err);
        if (st == FMS_OK)
            record(rec, (size_t)j + 1, on_grid && j + 1 == jm, m, x);
    }
    return st;
}

/* Dormand and Prince (1980), RK5(4)7FM: nodes, coefficients, 5th-order
 * weights (the last row of a) and the error weights b5 − b4. */
static const double dp_c[7] = { 0, 0.2, 0.3, 0.8, 8.0 / 9, 1, 1 };
static const double dp_a[7][6] = {
    { 0 },
    { 0.2 },
    { 3.0 / 40, 9.0 / 40 },
    { 44.0 / 45, -56.0 / 15, 32.0 / 9 },
    { 19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729 },
    { 9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656 },
    { 35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84 },
};
static const double dp_e[7] = { 71.0 / 57600, 0, -71.0 / 16695, 71.0 / 1920, -17253.0 / 339200, 22.0 / 525,
                                -1.0 / 40 };

/* dx/dσ = (1 − t)·v at σ (t = 1 − e^−σ). */
static fms_status field_sigma(fms_method_solver *s, double sg, size_t m, const double *x, double xabs, double *f,
                              fms_error *err)
{
    fms_status st = field(s, -expm1(-sg), m, x, xabs, f, err);
    if (st != FMS_OK)
        return st;
    const double w = exp(-sg);
    for (size_t i = 0; i < m; i++)
        f[i] *= w;
    return FMS_OK;
}

/* One attempted dopri5 step of size h from σ; s->xn receives the 5th-order
 * solution and kk[6] its slope; *norm the scaled error. */
static fms_status dopri_try(fms_method_solver *s, double sg, double h, size_t m, const double *x, double *norm,
                            fms_error *err)
{
    fms_status st = FMS_OK;
    double yabs;
    for (int i = 1; st == FMS_OK && i < 7; i++) {
        double *y = i == 6 ? s->xn : s->tmp;
        st = combine(s, m, x, h, dp_a[i], i, y, &yabs, err);
        if (st == FMS_OK)
            st = field_sigma(s, i == 6 ? sg + h : sg + dp_c[i] * h, m, y, yabs, s->kk[i], err);
    }
    if (st != FMS_OK)
        return st;
    double worst = 0.0;
    for (size_t i = 0; i < m; i++) {
        double e = 0.0;
        for (int j = 0; j < 7; j++)
            e += dp_e[j] * s->kk[j][i];
        const double scale = s->spec.tol * (1.0 + fmax(fabs(x[i]), fabs(s->xn[i])));
        const double r = fabs(h * e) / scale;
        worst = r > worst ? r : worst;
    }
    *norm = worst;
    return FMS_OK;
}

/* Steps from σ to the output time so (exactly), adapting h. */
static fms_status dopri_to(fms_method_solver *s, double *sg, double so, double *h, size_t m, double *x,
                           fms_error *err)
{
    while (*sg < so) {
        const int to_end = *h >= so - *sg;
        const double hh = to_end ? so - *sg : *h;
        double norm;
        fms_status st = fms_cancel_poll(err);
        if (st == FMS_OK)
            st = dopri_try(s, *sg, hh, m, x, &norm, err);
        if (st != FMS_OK)
            return st;
        if (s->evals > (double)FMS_SAMPLER_MAX_ADAPTIVE_EVALS)
            return fms_error_set(err, FMS_ERANGE, 0, "the adaptive method needed more than %ld evaluations",
                                 FMS_SAMPLER_MAX_ADAPTIVE_EVALS);
        double factor = norm > 0.0 ? 0.9 * pow(norm, -0.2) : 5.0;
        factor = fmin(5.0, fmax(0.2, factor));
        if (norm <= 1.0) {
            *sg = to_end ? so : *sg + hh;
            memcpy(x, s->xn, m * sizeof *x);
            memcpy(s->kk[0], s->kk[6], m * sizeof *x);
            /* A step cut short at an output time keeps the longer step. */
            *h = to_end && factor >= 1.0 ? fmax(*h, hh * factor) : hh * factor;
        } else {
            *h = hh * fmin(factor, 1.0);
        }
        if (!(*h > 1e-14))
            return fms_error_set(err, FMS_ERANGE, 0, "the adaptive method's step size underflowed");
    }
    return FMS_OK;
}

static fms_status adaptive_run(fms_method_solver *s, size_t m, double *x, const fms_method_record *rec,
                               double xabs, fms_error *err)
{
    const size_t nout = rec->traj ? rec->nout : 1;
    const double s_half = log(2.0);
    double sg = 0.0, h = 0.5 * pow(s->spec.tol, 0.2);
    record(rec, 0, 0, m, x);
    fms_status st = field_sigma(s, 0.0, m, x, xabs, s->kk[0], err);
    int mid_done = rec->xmid == NULL;
    for (size_t j = 1; st == FMS_OK && j < nout; j++) {
        const double so = -log1p(-(double)j / (double)nout);
        if (!mid_done && s_half <= so) {
            st = dopri_to(s, &sg, s_half, &h, m, x, err);
            record(rec, 0, 1, m, x);
            mid_done = 1;
        }
        if (st == FMS_OK)
            st = dopri_to(s, &sg, so, &h, m, x, err);
        record(rec, j, 0, m, x);
    }
    if (st == FMS_OK && !mid_done) {
        st = dopri_to(s, &sg, s_half, &h, m, x, err);
        record(rec, 0, 1, m, x);
    }
    if (st == FMS_OK)
        st = dopri_to(s, &sg, ADAPTIVE_S_END, &h, m, x, err);
    if (st != FMS_OK)
        return st;
    /* The last stretch as a straight line: kk[0] = (1 − t_end)·v = D − x. */
    for (size_t i = 0; i < m; i++)
        x[i] += s->kk[0][i];
    if (!bound(m, x, &xabs))
        return fms_error_set(err, FMS_ERANGE, 0, "a particle left the range of a double");
    record(rec, nout, 0, m, x);
    return FMS_OK;
}

fms_status fms_method_run(fms_method_solver *s, size_t m, double *x, const fms_method_record *rec, fms_error *err)
{
    double xabs;
    s->evals = 0.0;
    if (!bound(m, x, &xabs))
        return fms_error_set(err, FMS_EDOM, 0, "a starting point of the sampler is not finite");
    if (s->spec.method == FMS_SAMPLER_ADAPTIVE)
        return adaptive_run(s, m, x, rec, xabs, err);
    return fixed_run(s, m, x, rec, xabs, err);
}
