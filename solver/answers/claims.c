/* claims.c — see claims.h. */
#include "answers/claims.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/numfmt.h"

const fms_threshold FMS_THRESHOLDS[FMS_TH_COUNT] = {
    [FMS_TH_RARE] = { "rare", 1e-6, "a share below this is rare, not impossible" },
    [FMS_TH_DOMINANT] = { "dominant", 1e-6, "x_t all but identifies x1 when the top share is within this of 1" },
    [FMS_TH_NEAR_PRIOR] = { "near_prior", 1e-3, "the posterior is close to the prior within this relative change" },
    [FMS_TH_NEGLIGIBLE] = { "negligible", 1e-6, "|v| below this times the data's spread (or 1) is ≈ 0" },
    [FMS_TH_REL_EQ] = { "rel_eq", 1e-15, "computed rationals this close (relative) are equal" },
};

#define TH(id) (FMS_THRESHOLDS[id].value)

/* a = b to the precision of a double, relative to the larger of |a|, |b| and s. */
static int rel_eq(long double a, long double b, long double s)
{
    long double m = fmaxl(fmaxl(fabsl(a), fabsl(b)), fabsl(s));
    return fabsl(a - b) <= (long double)TH(FMS_TH_REL_EQ) * m;
}

static void claim_label(fms_claim *c, const char *name, const char *label);

/* Starts claim c of a predicate about point f (NULL for a claim about two points). */
static void claim_start(fms_claim *c, const char *predicate, const fms_facts *f)
{
    memset(c, 0, sizeof *c);
    c->predicate = predicate;
    if (f)
        claim_label(c, "exercise", f->x->id);
}

static void claim_num(fms_claim *c, const char *name, double v)
{
    if (c->n < FMS_CLAIM_MAX_INPUTS)
        c->in[c->n++] = (fms_claim_input){ .name = name, .value = v };
}

static void claim_label(fms_claim *c, const char *name, const char *label)
{
    if (c->n < FMS_CLAIM_MAX_INPUTS)
        c->in[c->n++] = (fms_claim_input){ .name = name, .label = label };
}

fms_claim_input fms_claim_get(const fms_claim *c, const char *name)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->in[i].name, name) == 0)
            return c->in[i];
    return (fms_claim_input){ .name = name };
}

/* ---- facts ----------------------------------------------------------------- */

/* Σ sign_k·m_k·10^e_k for numbers split as mantissa and power of ten, the
 * largest term first: as mantissa and power of ten (far below a double). */
typedef struct sci { long double m; long long e; } sci;

static sci sci_sum(const sci *terms, size_t n)
{
    sci best = { 0, 0 };
    for (size_t i = 0; i < n; i++)
        if (terms[i].m != 0 && (best.m == 0 || terms[i].e > best.e))
            best.e = terms[i].e, best.m = 1;
    if (best.m == 0)
        return best;
    long double s = 0;
    for (size_t i = 0; i < n; i++)
        if (terms[i].m != 0 && best.e - terms[i].e < 60)
            s += terms[i].m * powl(10.0L, (long double)(terms[i].e - best.e));
    sci out = { s, best.e };
    while (out.m != 0 && fabsl(out.m) >= 10)
        out.m /= 10, out.e++;
    while (out.m != 0 && fabsl(out.m) < 1)
        out.m *= 10, out.e--;
    return out;
}

static sci weight_sci(const fms_exact_component *c)
{
    sci w = { c->weight.mant, c->weight.e10 };
    if (isnan(c->weight.mant))
        w.m = 0; /* no digit known: below every other term */
    return w;
}

static void facts_order(fms_facts *f)
{
    size_t n = f->d->n;
    f->top = 0;
    for (size_t k = 1; k < n; k++)
        if (f->comp[k].log_weight > f->comp[f->top].log_weight)
            f->top = k;
    f->second = f->top == 0 && n > 1 ? 1 : 0;
    for (size_t k = 0; k < n; k++)
        if (k != f->top && f->comp[k].log_weight > f->comp[f->second].log_weight)
            f->second = k;
}

static void facts_structure(fms_facts *f)
{
    const fms_data *d = f->d;
    f->t_zero = f->x->t_l == 0;
    f->one_point = d->n == 1;
    f->equal_noise = !f->t_zero && d->n >= 2;
    for (size_t k = 1; k < d->n && f->equal_noise; k++)
        f->equal_noise = rel_eq(fabs(f->comp[k].eps), fabs(f->comp[0].eps), 0);
    f->prior = f->t_zero || f->one_point || f->equal_noise;
    f->prior_dev = 0;
    for (size_t k = 0; k < d->n && !f->prior; k++) {
        double dev = fabs(expm1(f->comp[k].log_weight - d->log_prob[k]));
        if (dev > f->prior_dev)
            f->prior_dev = dev;
    }
    f->mean = fms_data_mean(d);
    f->spread = fms_data_spread(d);
    f->scale = f->spread > 0 ? f->spread : 1;
    double big = 0;
    for (size_t k = 0; k < d->n; k++)
        big = fmax(big, fabs(d->x[k]));
    f->v_zero = f->prior && rel_eq(f->x->x_t_l, f->mean, big);
}

fms_status fms_facts_eval(const fms_data *d, const fms_exercise *x, fms_facts *f, fms_error *err)
{
    memset(f, 0, sizeof *f);
    f->d = d;
    f->x = x;
    f->comp = calloc(d->n, sizeof *f->comp);
    if (f->comp == NULL)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    fms_status st = fms_exset_eval(d, x, f->comp, &f->post, err);
    if (st != FMS_OK)
        return st;
    facts_order(f);
    facts_structure(f);
    f->ex = calloc(d->n, sizeof *f->ex);
    if (f->ex == NULL)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    st = fms_exact_eval(d, x->t_l, x->one_minus_t_l, x->x_t_l, f->ex, &f->exact, err);
    if (st != FMS_OK)
        return st;
    fms_num_class cls = f->prior ? FMS_NUM_RATIONAL : FMS_NUM_APPROX;
    f->v = f->v_zero ? fms_mnum_rational(0, 0) : fms_mnum_from_sci(&f->exact.velocity, cls);
    f->v_from_eps = f->v_zero ? f->v : fms_mnum_from_sci(&f->exact.velocity_from_eps, cls);
    f->xhat = fms_mnum_from_sci(&f->exact.x1_mean, cls);
    f->epshat = fms_mnum_from_sci(&f->exact.eps_mean, cls);
    if (f->prior) { /* rationals: x̂1 = E[x1], ε̂ = (x_t − t·E[x1])/(1 − t) */
        long double mean = f->mean, eps = (x->x_t_l - x->t_l * mean) / x->one_minus_t_l;
        f->xhat = fms_mnum_rational(f->v_zero ? x->x_t_l : mean, TH(FMS_TH_REL_EQ));
        f->epshat = fms_mnum_rational(eps, TH(FMS_TH_REL_EQ));
    }
    return FMS_OK;
}

void fms_facts_free(fms_facts *f)
{
    free(f->comp);
    free(f->ex);
    f->comp = NULL;
    f->ex = NULL;
}

fms_mnum fms_facts_weight(const fms_facts *f, size_t k)
{
    const fms_exact_component *c = &f->ex[k];
    if (f->prior)
        return fms_mnum_rational(f->d->prob[k], TH(FMS_TH_REL_EQ));
    if (c->log_weight > -1e-4L) {
        /* 1 − w_k = Σ_{j≠k} w_j, each as mantissa and power of ten. */
        size_t n = f->d->n;
        sci *rest = calloc(n, sizeof *rest);
        double relerr = 0;
        if (rest == NULL)
            return fms_mnum_from_sci(&c->weight, FMS_NUM_APPROX);
        for (size_t j = 0; j < n; j++)
            if (j != k) {
                rest[j] = weight_sci(&f->ex[j]);
                relerr = fmax(relerr, f->ex[j].weight.rel_err);
            }
        sci r = sci_sum(rest, n);
        free(rest);
        if (r.m == 0)
            return fms_mnum_approx(1);
        fms_mnum one = fms_mnum_one_minus(r.m, r.e);
        one.relerr = relerr;
        return one;
    }
    if (isnan(c->weight.mant))
        return fms_mnum_exp(c->log_weight);
    return fms_mnum_from_sci(&c->weight, FMS_NUM_APPROX);
}

fms_mnum fms_facts_eps(const fms_facts *f, size_t k)
{
    return fms_mnum_from_sci(&f->ex[k].eps, FMS_NUM_RATIONAL);
}

fms_mnum fms_facts_u(const fms_facts *f, size_t k)
{
    return fms_mnum_from_sci(&f->ex[k].u, FMS_NUM_RATIONAL);
}

double fms_facts_gap(const fms_facts *f, size_t j, size_t k)
{
    return f->comp[j].log_weight - f->comp[k].log_weight;
}

/* ---- predicates ---------------------------------------------------------------- */

int fms_claim_t_is_zero(const fms_facts *f, fms_claim *c)
{
    claim_start(c, "t_is_zero", f);
    claim_num(c, "t", f->x->t);
    return f->t_zero;
}

int fms_claim_posterior_is_prior(const fms_facts *f, fms_claim *c)
{
    claim_start(c, "posterior_is_prior", f);
    const char *reason = f->t_zero ? "t_is_zero" : f->one_point ? "one_data_point" : "equal_candidate_noises";
    claim_label(c, "reason", reason);
    claim_num(c, "t", f->x->t);
    claim_num(c, "points", (double)f->d->n);
    if (f->equal_noise)
        claim_num(c, "abs_eps", fabs(f->comp[0].eps));
    return f->prior;
}

int fms_claim_posterior_near_prior(const fms_facts *f, fms_claim *c)
{
    claim_start(c, "posterior_near_prior", f);
    /* The bound printed: the deviation rounded up to two digits. */
    double bound = f->prior_dev > 0 ? f->prior_dev * (1 + 1e-2) : 0;
    claim_num(c, "max_relative_change", bound);
    claim_num(c, "threshold", TH(FMS_TH_NEAR_PRIOR));
    return !f->prior && f->prior_dev <= TH(FMS_TH_NEAR_PRIOR);
}

int fms_claim_rare(const fms_facts *f, fms_claim *c)
{
    claim_start(c, "rare", f);
    const double lim = log(TH(FMS_TH_RARE));
    size_t count = 0, best = 0;
    for (size_t k = 0; k < f->d->n; k++)
        if (f->comp[k].log_weight < lim) {
            if (count == 0 || f->comp[k].log_weight > f->comp[best].log_weight)
                best = k;
            count++;
        }
    if (count == 0)
        return 0;
    claim_label(c, "label", f->d->labels[best]);
    claim_num(c, "log_weight", f->comp[best].log_weight);
    claim_num(c, "count", (double)count);
    claim_num(c, "threshold", TH(FMS_TH_RARE));
    return 1;
}

int fms_claim_dominant(const fms_facts *f, fms_claim *c)
{
    claim_start(c, "dominant", f);
    claim_label(c, "label", f->d->labels[f->top]);
    claim_num(c, "log_weight_runner_up", f->comp[f->second].log_weight);
    claim_num(c, "threshold", TH(FMS_TH_DOMINANT));
    return f->d->n > 1 && f->comp[f->top].log_weight >= log1p(-TH(FMS_TH_DOMINANT));
}

int fms_claim_undecided(const fms_facts *f, fms_claim *c)
{
    claim_start(c, "undecided", f);
    claim_label(c, "label", f->d->labels[f->top]);
    claim_num(c, "log_weight", f->comp[f->top].log_weight);
    return !f->prior && f->d->n > 1 && f->comp[f->top].log_weight < log1p(-TH(FMS_TH_DOMINANT));
}

int fms_claim_velocity_zero(const fms_facts *f, fms_claim *c)
{
    claim_start(c, "velocity_zero", f);
    claim_num(c, "x_t", f->x->x_t);
    claim_num(c, "mean", f->mean);
    return f->v_zero;
}

int fms_claim_velocity_negligible(const fms_facts *f, fms_claim *c)
{
    claim_start(c, "velocity_negligible", f);
    double v = fms_mnum_double(&f->v);
    claim_num(c, "velocity", v);
    claim_num(c, "bound", TH(FMS_TH_NEGLIGIBLE) * f->scale);
    return !f->v_zero && fabs(v) <= TH(FMS_TH_NEGLIGIBLE) * f->scale;
}

int fms_claim_xhat_at_mean(const fms_facts *f, fms_claim *c)
{
    claim_start(c, "xhat_at_mean", f);
    claim_num(c, "mean", f->mean);
    return f->prior;
}

int fms_claim_mean_is_point(const fms_facts *f, fms_claim *c, size_t *k)
{
    claim_start(c, "mean_is_point", f);
    for (size_t j = 0; j < f->d->n; j++)
        if (rel_eq(f->mean, f->d->x[j], f->scale)) {
            claim_label(c, "label", f->d->labels[j]);
            *k = j;
            return 1;
        }
    return 0;
}

int fms_claim_xhat_near_point(const fms_facts *f, fms_claim *c)
{
    claim_start(c, "xhat_near_point", f);
    claim_label(c, "label", f->d->labels[f->top]);
    /* |x̂1 − x_top| = |Σ_{j≠top} w_j (x_j − x_top)| ≤ (1 − w_top)·spread, as a power of ten
     * (1 − w_top may lie far below the range of a double); 1% up for the rounding. */
    fms_mnum rest = fms_facts_weight(f, f->top);
    double log10_rest = rest.form == FMS_FORM_ONE_MINUS ? (double)log10l(rest.mant) + (double)rest.e10
                                                        : log10(-expm1(f->comp[f->top].log_weight));
    claim_num(c, "log10_bound", log10_rest + log10(f->spread > 0 ? f->spread : 1) + log10(1.01));
    int dominant = f->d->n > 1 && f->comp[f->top].log_weight >= log1p(-TH(FMS_TH_DOMINANT));
    return dominant && !f->prior;
}

int fms_claim_xhat_between(const fms_facts *f, fms_claim *c, size_t *lo, size_t *hi)
{
    claim_start(c, "xhat_between", f);
    double xh = fms_mnum_double(&f->xhat), tol = 1e-9 * f->scale;
    int have_lo = 0, have_hi = 0;
    for (size_t k = 0; k < f->d->n; k++) {
        double xk = f->d->x[k];
        if (fabs(xk - xh) <= tol)
            return 0;
        if (xk < xh && (!have_lo || xk > f->d->x[*lo]))
            *lo = k, have_lo = 1;
        if (xk > xh && (!have_hi || xk < f->d->x[*hi]))
            *hi = k, have_hi = 1;
    }
    if (!have_lo || !have_hi)
        return 0;
    claim_label(c, "low", f->d->labels[*lo]);
    claim_label(c, "high", f->d->labels[*hi]);
    claim_num(c, "xhat", xh);
    return 1;
}

int fms_claim_xhat_at_point_value(const fms_facts *f, fms_claim *c, size_t *k)
{
    claim_start(c, "xhat_at_point_value", f);
    double xh = fms_mnum_double(&f->xhat), tol = 1e-9 * f->scale;
    for (size_t j = 0; j < f->d->n; j++)
        if (fabs(f->d->x[j] - xh) <= tol) {
            claim_label(c, "label", f->d->labels[j]);
            claim_num(c, "bound", tol);
            *k = j;
            return 1;
        }
    return 0;
}

int fms_claim_limits_differ(const fms_facts *a, const fms_facts *b, fms_claim *c)
{
    claim_start(c, "limits_differ", NULL);
    double va = fms_mnum_double(&a->v), vb = fms_mnum_double(&b->v);
    claim_num(c, "v0", va);
    claim_num(c, "v1", vb);
    if (a->v_zero && b->v_zero)
        return 0;
    return !rel_eq(va, vb, 0) || (va == 0 && vb == 0 && (a->v.mant != b->v.mant || a->v.e10 != b->v.e10));
}

int fms_claim_same_posterior(const fms_facts *a, const fms_facts *b, fms_claim *c)
{
    claim_start(c, "same_posterior", NULL);
    int same = a->prior && b->prior;
    claim_label(c, "reason", a->one_point ? "one_data_point" : "both_prior");
    return same;
}
