/* kernel.c — see kernel.h.  Compiled with the project's ordinary
 * floating-point semantics, so that the checks here are real; the loops are
 * in kernel_fast.c. */
#include "dynamics/kernel.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dynamics/kernel_fast.h"

typedef struct point {
    double x, lp;
    size_t index;
} point;

static int point_cmp(const void *pa, const void *pb)
{
    const point *a = pa, *b = pb;
    if (a->x != b->x)
        return a->x < b->x ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

/* The points of d sorted by x (ties in data order) into k->x, k->log_prob,
 * k->index and k->y (values[k], or x_k when values is NULL). */
static fms_status sort_points(fms_kernel *k, const fms_data *d, const double *values, fms_error *err)
{
    point *p = malloc(d->n * sizeof *p);
    if (p == NULL)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory for the kernel");
    for (size_t i = 0; i < d->n; i++)
        p[i] = (point){ d->x[i], d->log_prob[i], i };
    qsort(p, d->n, sizeof *p, point_cmp);
    k->log_prob_max = -INFINITY;
    for (size_t i = 0; i < d->n; i++) {
        k->x[i] = p[i].x;
        k->log_prob[i] = p[i].lp;
        k->index[i] = p[i].index;
        k->y[i] = values ? values[p[i].index] : p[i].x;
        k->xabs_max = fmax(k->xabs_max, fabs(p[i].x));
        k->log_prob_max = fmax(k->log_prob_max, p[i].lp);
    }
    free(p);
    return FMS_OK;
}

fms_status fms_kernel_create(const fms_data *d, fms_kernel **out, fms_error *err)
{
    return fms_kernel_create_values(d, NULL, out, err);
}

fms_status fms_kernel_create_values(const fms_data *d, const double *values, fms_kernel **out, fms_error *err)
{
    if (d == NULL || d->n == 0)
        return fms_error_set(err, FMS_EINVAL, 0, "no data points");
    fms_kernel *k = calloc(1, sizeof *k);
    if (k == NULL)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory for the kernel");
    k->n = d->n;
    /* One block: x_k, log p_k, y_k; then the indices. */
    k->x = malloc(3 * d->n * sizeof *k->x);
    k->index = malloc(d->n * sizeof *k->index);
    k->log_prob = k->x ? k->x + d->n : NULL;
    k->y = k->x ? k->x + 2 * d->n : NULL;
    fms_status st = k->x && k->index ? sort_points(k, d, values, err)
                                     : fms_error_set(err, FMS_ENOMEM, 0, "out of memory for the kernel");
    if (st == FMS_OK)
        st = fms_kernel_at_new(k, &k->own, err);
    if (st != FMS_OK) {
        fms_kernel_free(k);
        return st;
    }
    fms_kernel_set_window(k, 1);
    *out = k;
    return FMS_OK;
}

void fms_kernel_free(fms_kernel *k)
{
    if (k == NULL)
        return;
    fms_kernel_at_free(k->own);
    free(k->x); /* with log_prob and y */
    free(k->index);
    free(k);
}

void fms_kernel_set_window(fms_kernel *k, int on)
{
    k->window_t = on ? 64.0 * log(2.0) + log((double)k->n) + 1.0 : 0.0;
}

fms_status fms_kernel_at_new(const fms_kernel *k, fms_kernel_at **out, fms_error *err)
{
    fms_kernel_at *a = calloc(1, sizeof *a);
    if (a == NULL)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory for the kernel");
    /* One block of doubles: b, g and brk (n each); then env. */
    a->b = malloc(3 * k->n * sizeof *a->b);
    a->env = malloc(k->n * sizeof *a->env);
    if (a->b == NULL || a->env == NULL) {
        fms_kernel_at_free(a);
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory for the kernel");
    }
    a->g = a->b + k->n;
    a->brk = a->g + k->n;
    *out = a;
    return FMS_OK;
}

void fms_kernel_at_free(fms_kernel_at *a)
{
    if (a == NULL)
        return;
    free(a->b); /* with g and brk */
    free(a->env);
    free(a);
}

/* Is line j of the envelope hidden once line l (steeper) comes after i?
 * It is when l overtakes i no later than j does (slopes strictly ascending). */
static int hidden(const fms_kernel_at *a, size_t i, size_t j, size_t l)
{
    return (a->b[i] - a->b[l]) / (a->g[l] - a->g[i]) <= (a->b[i] - a->b[j]) / (a->g[j] - a->g[i]);
}

/* The upper envelope of the lines b_k + g_k·x, whose slopes are ascending:
 * the monotone convex-hull walk.  Of lines with equal slope the higher stays. */
static void build_envelope(const fms_kernel *k, fms_kernel_at *a)
{
    size_t *env = a->env, ne = 0;
    for (size_t l = 0; l < k->n; l++) {
        if (ne > 0 && a->g[env[ne - 1]] == a->g[l]) {
            if (a->b[l] <= a->b[env[ne - 1]])
                continue;
            ne--;
        }
        while (ne >= 2 && hidden(a, env[ne - 2], env[ne - 1], l))
            ne--;
        env[ne++] = l;
    }
    a->brk[0] = -INFINITY;
    for (size_t j = 1; j < ne; j++)
        a->brk[j] = (a->b[env[j - 1]] - a->b[env[j]]) / (a->g[env[j]] - a->g[env[j - 1]]);
    a->nenv = ne;
}

fms_status fms_kernel_prepare(const fms_kernel *k, double t, fms_kernel_at *a, fms_error *err)
{
    if (!(isfinite(t) && t >= 0.0 && t < 1.0))
        return fms_error_set(err, FMS_EDOM, 0, "t = %g is outside [0, 1)", t);
    const double omt = 1.0 - t;
    const double c = 0.5 / (omt * omt);
    a->t = t;
    a->c = c;
    for (size_t i = 0; i < k->n; i++) {
        a->b[i] = k->log_prob[i] - c * t * t * k->x[i] * k->x[i];
        a->g[i] = 2.0 * c * t * k->x[i];
        if (!isfinite(a->b[i]) || !isfinite(a->g[i]))
            return fms_error_set(err, FMS_EDOM, 0, "t = %.17g is too close to 1 for the kernel", t);
    }
    if (k->n == 2) {
        const double dx = k->x[1] - k->x[0];
        a->db = (k->log_prob[1] - k->log_prob[0]) - c * t * t * dx * (k->x[1] + k->x[0]);
        a->dg = 2.0 * c * t * dx;
    }
    if (k->n >= 3)
        build_envelope(k, a);
    return FMS_OK;
}

/* The argmax of b_k + g_k·x: the envelope's line over x. */
static size_t envelope_argmax(const fms_kernel_at *a, double x)
{
    size_t lo = 0, hi = a->nenv; /* brk[lo] ≤ x < brk[hi] */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (a->brk[mid] <= x)
            lo = mid;
        else
            hi = mid;
    }
    return a->env[lo];
}

/* The first k in [lo, hi) with x_k ≥ v (or hi). */
static size_t lower_bound(const double *xk, size_t lo, size_t hi, double v)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (xk[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The window [*lo, *hi) of the particle at x (kernel.h); [0, n) when the
 * window is off or t = 0.  Returns 1 when it is every point. */
static int window(const fms_kernel *k, const fms_kernel_at *a, double x, size_t *lo, size_t *hi)
{
    *lo = 0;
    *hi = k->n;
    if (k->window_t == 0.0 || a->t == 0.0)
        return 1;
    /* A quick test first: R is at least √(T/c + d²), d the distance from x
     * to t·[x_min, x_max]; when that already covers every point, so does R. */
    const double tlo = a->t * k->x[0], thi = a->t * k->x[k->n - 1];
    const double d = x < tlo ? tlo - x : x > thi ? x - thi : 0.0;
    const double rmin = sqrt(k->window_t / a->c + d * d);
    if (x - rmin <= tlo && x + rmin >= thi)
        return 1;
    const size_t top = envelope_argmax(a, x);
    const double dist = x - a->t * k->x[top];
    const double r2 = (k->log_prob_max - k->log_prob[top]) / a->c + dist * dist + k->window_t / a->c;
    const double r = sqrt(r2) * (1.0 + 0x1p-40);
    const double from = (x - r) / a->t, to = (x + r) / a->t;
    if (from > k->x[0])
        *lo = lower_bound(k->x, 0, top, from);
    if (to < k->x[k->n - 1])
        *hi = lower_bound(k->x, top + 1, k->n, nextafter(to, INFINITY));
    return *lo == 0 && *hi == k->n;
}

/* The window path for m ≤ FMS_KERNEL_BLOCK particles: their windows, and
 * the block's loop over the union of them. */
static void window_block(const fms_kernel *k, const fms_kernel_at *a, size_t m, const double *x, double *out)
{
    double lo[FMS_KERNEL_BLOCK], hi[FMS_KERNEL_BLOCK];
    size_t kl = k->n, kh = 0;
    int full = 1;
    for (size_t i = 0; i < m; i++) {
        size_t l, h;
        full &= window(k, a, x[i], &l, &h);
        lo[i] = (double)l;
        hi[i] = (double)h;
        kl = l < kl ? l : kl;
        kh = h > kh ? h : kh;
    }
    if (full) /* the same doubles as the masked loop over every point */
        fms_kernel_fast_block(k->n, a->b, a->g, k->y, m, x, out);
    else
        fms_kernel_fast_window(a->b, a->g, k->y, kl, kh, m, x, lo, hi, out);
}

void fms_kernel_x1hat_unchecked(const fms_kernel *k, const fms_kernel_at *a, size_t m, const double *x,
                                double *out)
{
    if (k->n == 1) {
        for (size_t i = 0; i < m; i++)
            out[i] = k->y[0];
    } else if (k->n == 2) {
        fms_kernel_fast_two(a->db, a->dg, k->y[0], k->y[1], m, x, out);
    } else if (k->n < FMS_KERNEL_WINDOW_MIN) {
        for (size_t i = 0; i < m; i += FMS_KERNEL_BLOCK) {
            size_t len = m - i < FMS_KERNEL_BLOCK ? m - i : FMS_KERNEL_BLOCK;
            fms_kernel_fast_block(k->n, a->b, a->g, k->y, len, x + i, out + i);
        }
    } else {
        for (size_t i = 0; i < m; i += FMS_KERNEL_BLOCK) {
            size_t len = m - i < FMS_KERNEL_BLOCK ? m - i : FMS_KERNEL_BLOCK;
            window_block(k, a, len, x + i, out + i);
        }
    }
}

fms_status fms_kernel_x1hat(const fms_kernel *k, const fms_kernel_at *a, size_t m, const double *x,
                            double *out, fms_error *err)
{
    double xabs;
    if (!fms_kernel_all_finite(x, m, &xabs)) {
        for (size_t i = 0; i < m; i++)
            if (!isfinite(x[i]))
                return fms_error_set(err, FMS_EDOM, 0, "particle %zu is not a finite number (%g)", i, x[i]);
    }
    fms_status st = fms_kernel_check_range(k, a, xabs, err);
    if (st != FMS_OK)
        return st;
    fms_kernel_x1hat_unchecked(k, a, m, x, out);
    for (size_t i = 0; i < m; i++)
        if (!isfinite(out[i]))
            return fms_error_set(err, FMS_ERANGE, 0, "the posterior mean overflows at particle %zu", i);
    return FMS_OK;
}

void fms_kernel_argmax(const fms_kernel *k, const fms_kernel_at *a, size_t m, const double *x, size_t *idx)
{
    for (size_t i = 0; i < m; i++) {
        size_t top = 0;
        if (k->n == 2)
            top = a->db + a->dg * x[i] > 0.0 || (a->db + a->dg * x[i] == 0.0 && k->index[1] < k->index[0]);
        else if (k->n > 2)
            top = envelope_argmax(a, x[i]);
        idx[i] = k->index[top];
    }
}

int fms_kernel_all_finite(const double *x, size_t m, double *xabs)
{
    int bad = 0;
    double big = 0.0;
    for (size_t i = 0; i < m; i++) {
        bad |= !isfinite(x[i]);
        big = fmax(big, fabs(x[i]));
    }
    if (xabs)
        *xabs = big;
    return !bad;
}

fms_status fms_kernel_check_range(const fms_kernel *k, const fms_kernel_at *a, double xabs, fms_error *err)
{
    if (!isfinite(xabs))
        return fms_error_set(err, FMS_EDOM, 0, "a query is not a finite number");
    double bmax = 0.0, gmax = 0.0;
    for (size_t i = 0; i < k->n; i++) {
        bmax = fmax(bmax, fabs(a->b[i]));
        gmax = fmax(gmax, fabs(a->g[i]));
    }
    /* The exponents and their differences must stay finite. */
    if (!(bmax + gmax * xabs < 1e300))
        return fms_error_set(err, FMS_ERANGE, 0, "|x| = %g is too large for the kernel at this t", xabs);
    return FMS_OK;
}

fms_status fms_kernel_x1hat_at(fms_kernel *k, double t, size_t m, const double *x, double *out, fms_error *err)
{
    fms_status st = fms_kernel_prepare(k, t, k->own, err);
    if (st != FMS_OK)
        return st;
    return fms_kernel_x1hat(k, k->own, m, x, out, err);
}

double fms_kernel_velocity(double t, double x, double x1hat)
{
    return (x1hat - x) / (1.0 - t);
}

double fms_kernel_eps(double t, double x, double x1hat)
{
    return (x - t * x1hat) / (1.0 - t);
}
