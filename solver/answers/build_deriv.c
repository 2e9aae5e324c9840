/* build_deriv.c — the two derivations (u from ε; the Euler step with an
 * ε-model), the dispatch of fms_build_exercise and the set's heading (see
 * build.h). */
#include "answers/build.h"

#include <math.h>
#include <stdio.h>

#include "model/engine.h"
#include "base/numfmt.h"

static const long double REL = 1e-15L;

/* One numeric check of 2.1 at point exercise y: (x_t − ε̂)/t = Σ_k w_k·(x_t − ε_k)/t,
 * each term w_k·u_k exactly, so the check loses no digit to cancellation. */
static fms_status check_point(fms_doc *d, fms_doc_part *p, const fms_data *data, const fms_exercise *y,
                              fms_error *err)
{
    fms_facts f;
    fms_status st = fms_facts_eval(data, y, &f, err);
    if (st == FMS_OK) {
        fms_mnum xt = fms_build_x_t(y), t = fms_build_t(y);
        fms_doc_add(d, p, FMS_BLOCK_STEP, 1, "%s ($x_t = %n$, $t = %n$): $hat(eps) =~ %n$, "
                    "$(x_t - hat(eps))/t = Sum_k(w_k*(x_t - eps_k)/t) =~ %n$, $v =~ %n$ \xE2\x9C\x93", y->id, &xt, &t,
                    &f.epshat, &f.v_from_eps, &f.v);
    }
    fms_facts_free(&f);
    return st;
}

fms_status fms_build_eps_to_velocity(const fms_exset *set, size_t ex, fms_doc *d, fms_error *err)
{
    fms_doc_part *p = fms_doc_part_new(d, set->ex[ex].id, "eps_to_velocity", 0, -1, NULL);
    fms_doc_add(d, p, FMS_BLOCK_STEP, 0, "From the interpolation, for $t > 0$:");
    fms_doc_add(d, p, FMS_BLOCK_EQUATION, 1, "$x_t = (1 - t)*eps + t*x_\"clean\"$   \xE2\x87\x92   "
                "$x_\"clean\" = (x_t - (1 - t)*eps)/t$");
    fms_doc_add(d, p, FMS_BLOCK_STEP, 0, "Substitute into the velocity $u = x_\"clean\" - eps$:");
    fms_doc_add(d, p, FMS_BLOCK_EQUATION, 1, "$u = (x_t - (1 - t)*eps)/t - eps = (x_t - (1 - t)*eps - t*eps)/t = "
                "(x_t - eps)/t$");
    fms_doc_add(d, p, FMS_BLOCK_RESULT, 0, "\xE2\x87\x92 $u = (x_t - eps)/t$   (for $t > 0$)");
    fms_doc_add(d, p, FMS_BLOCK_STEP, 0, "Equivalently, with $eps = (x_t - t*x_\"clean\")/(1 - t)$: "
                "$u = (x_\"clean\" - x_t)/(1 - t)$ (for $t < 1$).");
    fms_doc_add(d, p, FMS_BLOCK_STEP, 0, "For a model: $u_theta(x_t, t) = (x_t - eps_theta(x_t, t))/t$. The map is "
                "linear in $eps$, so the exact $eps$-predictor $hat(eps) = E[eps | x_t, t]$ gives exactly the exact "
                "velocity $v = E[x_1 - eps | x_t, t]$.");
    int any = 0;
    for (size_t i = 0; i < set->n; i++) {
        const fms_exercise *y = &set->ex[i];
        if (y->kind != FMS_EX_POINT || y->t_l == 0)
            continue;
        if (!any)
            fms_doc_add(d, p, FMS_BLOCK_STEP, 0, "Check at this sheet's points with $t > 0$ ($hat(eps)$ and $v$ from "
                        "the engine; the sum is taken term by term, $w_k*(x_t - eps_k)/t = w_k*u_k$, so no digit is "
                        "lost where $hat(eps)$ is close to $x_t$):");
        any = 1;
        fms_status st = check_point(d, p, set->data, y, err);
        if (st != FMS_OK)
            return st;
    }
    return FMS_OK;
}

/* One Euler step of Δt from point exercise y with the exact ε_θ = ε̂. */
static fms_status euler_point(fms_doc *d, fms_doc_part *p, const fms_exset *set, const fms_exercise *y, fms_error *err)
{
    fms_facts f;
    fms_status st = fms_facts_eval(set->data, y, &f, err);
    if (st == FMS_OK) {
        int last = y->one_minus_t_l <= 0.1L;
        long double dt = last ? y->one_minus_t_l : 0.1L;
        fms_mnum xt = fms_build_x_t(y), t = fms_build_t(y), dtn = fms_mnum_rational(dt, REL);
        fms_mnum t2 = fms_mnum_rational(y->t_l + dt, REL), mean = fms_mnum_rational(f.mean, REL);
        long double next = y->x_t_l + dt * (long double)fms_mnum_double(&f.v);
        fms_mnum nx = fms_mnum_approx(next);
        if (f.prior)
            nx = fms_mnum_rational(next, REL);
        fms_block *b = fms_doc_add(d, p, FMS_BLOCK_STEP, 1, "%s: $Dt = %n$", y->id, &dtn);
        if (last)
            fms_doc_append(d, b, " (the rest of the way, $1 - t$)");
        if (y->t_l > 0)
            fms_doc_append(d, b, ", $hat(eps)(%n, %n) =~ %n$   \xE2\x87\x92   $x_{%n} = %n + %n*(%n - %n)/%n =~ %n$", &xt,
                           &t, &f.epshat, &t2, &xt, &dtn, &xt, &f.epshat, &t, &nx);
        else
            fms_doc_append(d, b, "; at $t = 0$ the formula is 0/0; with the limit, $x_{%n} = %n + %n*(%n - %n) =~ %n$",
                           &t2, &xt, &dtn, &mean, &xt, &nx);
    }
    fms_facts_free(&f);
    return st;
}

/* (x − ε̂(x, t))/t as t → 0, at the first t = 0 point (or x = 1): each value
 * is v(x, t) from the engine (the identity of 2.1, no cancellation). */
static fms_status limit_watched(fms_doc *d, fms_doc_part *p, const fms_exset *set, fms_error *err)
{
    long double x0 = 1;
    for (size_t i = 0; i < set->n; i++)
        if (set->ex[i].kind == FMS_EX_POINT && set->ex[i].t_l == 0) {
            x0 = set->ex[i].x_t_l;
            break;
        }
    static const long double small_t[] = { 1e-2L, 1e-4L, 1e-6L };
    fms_mnum q[3], ts[3], xn = fms_mnum_exact(x0);
    for (int i = 0; i < 3; i++) {
        /* The point (x0, t) as an exercise, so that v keeps its digits below a double's range. */
        fms_exercise y = { .kind = FMS_EX_POINT, .t = (double)small_t[i], .x_t = (double)x0, .t_l = small_t[i],
                           .x_t_l = x0, .one_minus_t_l = 1 - small_t[i] };
        fms_facts f;
        fms_status st = fms_facts_eval(set->data, &y, &f, err);
        q[i] = f.v;
        fms_facts_free(&f);
        if (st != FMS_OK)
            return st;
        ts[i] = fms_mnum_exact(small_t[i]);
    }
    long double mean = fms_data_mean(set->data), diff = mean - x0;
    fms_mnum lim = fms_mnum_rational(diff, diff == 0 ? REL : REL * (fabsl(mean) + fabsl(x0)) / fabsl(diff));
    fms_doc_add(d, p, FMS_BLOCK_STEP, 0, "The limit, watched at $x = %n$: $(x - hat(eps)(x, t))/t =~ %n$ ($t = %n$), "
                "$=~ %n$ ($t = %n$), $=~ %n$ ($t = %n$)", &xn, &q[0], &ts[0], &q[1], &ts[1], &q[2], &ts[2]);
    fms_doc_add(d, p, FMS_BLOCK_STEP, 1, "\xE2\x86\x92 $E[x_1] - x =~ %n$.", &lim);
    return FMS_OK;
}

fms_status fms_build_euler_eps(const fms_exset *set, size_t ex, fms_doc *d, fms_error *err)
{
    fms_doc_part *p = fms_doc_part_new(d, set->ex[ex].id, "euler_eps", 0, -1, NULL);
    fms_mnum mean = fms_mnum_rational(fms_data_mean(set->data), REL);
    fms_doc_add(d, p, FMS_BLOCK_STEP, 0, "The sampler's step is $x_{t+Dt} = x_t + Dt*u_theta(x_t, t)$. Put 2.1's "
                "formula, with the model's $eps_theta$, in place of $u_theta$:");
    fms_doc_add(d, p, FMS_BLOCK_RESULT, 0, "\xE2\x87\x92 $x_{t+Dt} = x_t + Dt*(x_t - eps_theta(x_t, t))/t$");
    fms_doc_add(d, p, FMS_BLOCK_STEP, 0, "At $t = 0$ this is 0/0: $x_0 = eps$ exactly, so a perfect model returns "
                "$eps_theta(x_0, 0) = x_0$ and the numerator vanishes with $t$. The limit is the exact velocity at "
                "$t = 0$, $v(x, 0) = E[x_1] - x$, with $E[x_1] =~ %n$ for this data. So a sampler either starts at a "
                "small $t_0 > 0$, or takes its first step with $u = E[x_1] - x_0$.", &mean);
    fms_doc_add(d, p, FMS_BLOCK_STEP, 0, "One step from each of this sheet's points, with the exact "
                "$eps_theta = hat(eps)$ and $Dt = 0.1$ (or $1 - t$ when less remains):");
    for (size_t i = 0; i < set->n; i++) {
        if (set->ex[i].kind != FMS_EX_POINT)
            continue;
        fms_status st = euler_point(d, p, set, &set->ex[i], err);
        if (st != FMS_OK)
            return st;
    }
    return limit_watched(d, p, set, err);
}

/* The lead-in of an exercise the sheet gives no text for. */
static const char *fms_build_heading(fms_doc *d, const fms_exset *set, const fms_exercise *x)
{
    char buf[160], xs[FMS_NUM_MAX], ts[FMS_NUM_MAX];
    switch (x->kind) {
    case FMS_EX_POINT:
        fms_numfmt_text(x->x_t, 15, xs);
        fms_numfmt_text(x->t, 15, ts);
        snprintf(buf, sizeof buf, "The point x_t = %s, t = %s.", xs, ts);
        break;
    case FMS_EX_COMPARE:
        snprintf(buf, sizeof buf, "Compare %s and %s: why do their limits differ?", set->ex[x->compare[0]].id,
                 set->ex[x->compare[1]].id);
        break;
    case FMS_EX_EPS_TO_VELOCITY: snprintf(buf, sizeof buf, "Derive the velocity u from x_t, \xCE\xB5 and t."); break;
    default: snprintf(buf, sizeof buf, "Rewrite the Euler step with an \xCE\xB5-prediction model."); break;
    }
    return fms_doc_strdup(d, buf);
}

fms_status fms_build_exercise(const fms_exset *set, size_t ex, int part, fms_doc *d, fms_error *err)
{
    if (ex >= set->n)
        return fms_error_set(err, FMS_ENOTFOUND, 0, "no exercise number %zu", ex);
    const fms_exercise *x = &set->ex[ex];
    if (part >= 0 && (x->kind != FMS_EX_POINT || (size_t)part >= x->nparts))
        return fms_error_set(err, FMS_ENOTFOUND, 0, "exercise %s has no part %c", x->id, 'a' + part);
    d->ex = ex;
    d->id = x->id;
    d->kind = fms_exset_kind_name(x->kind);
    d->text = x->text;
    d->heading = fms_build_heading(d, set, x);
    fms_status st = FMS_OK;
    switch (x->kind) {
    case FMS_EX_POINT: st = fms_build_point(set, ex, part, d, err); break;
    case FMS_EX_COMPARE: st = fms_build_compare(set, ex, d, err); break;
    case FMS_EX_EPS_TO_VELOCITY: st = fms_build_eps_to_velocity(set, ex, d, err); break;
    case FMS_EX_EULER_EPS: st = fms_build_euler_eps(set, ex, d, err); break;
    }
    if (st == FMS_OK && d->failed)
        st = fms_error_set(err, d->pool.failed ? FMS_ENOMEM : FMS_EINVAL, 0, "worked answer of %s: %s", x->id, d->why);
    return st;
}

fms_status fms_build_set_header(const fms_exset *set, fms_doc *d, fms_error *err)
{
    const fms_data *data = set->data;
    fms_doc_part *p = fms_doc_part_new(d, "", "set", 0, -1, NULL);
    fms_block *b = fms_doc_add(d, p, FMS_BLOCK_STEP, 0, "Data: ");
    for (size_t k = 0; k < data->n && k < FMS_BUILD_LIST_MAX; k++) {
        fms_mnum x = fms_mnum_exact(data->x_l[k]), pk = fms_mnum_rational(data->prob[k], REL);
        fms_doc_append(d, b, "%s$%l = %n$ ($p = %n$)", k ? ", " : "", data->labels[k], &x, &pk);
    }
    fms_build_list_cut(d, b, data->n);
    fms_doc_append(d, b, ".");
    fms_doc_add(d, p, FMS_BLOCK_STEP, 0, "Path: $x_t = (1 - t)*eps + t*x_1$ with $eps dist N(0, 1)$; target "
                "$u = x_1 - eps$.");
    if (d->failed)
        return fms_error_set(err, d->pool.failed ? FMS_ENOMEM : FMS_EINVAL, 0, "set heading: %s", d->why);
    return FMS_OK;
}
