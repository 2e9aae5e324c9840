/* build_compare.c — why two point exercises converge to different limits
 * (1.4 on the seed sheet), explained from the log-likelihood gaps
 * (ε_j² − ε_k²)/2 + log(p_k/p_j) at both points (see build.h). */
#include "answers/build.h"

#include <math.h>
#include <stdio.h>

#include "base/numfmt.h"

/* One side: its noises, its posterior and its limit, as a nested list. */
static void side_lists(fms_doc *d, fms_doc_part *p, const fms_facts *f)
{
    fms_mnum t = fms_build_t(f->x);
    size_t n = f->d->n;
    fms_block *b = fms_doc_add(d, p, FMS_BLOCK_STEP, 0, "%s ($t = %n$): candidate noises ", f->x->id, &t);
    for (size_t k = 0; k < n && k < FMS_BUILD_LIST_MAX; k++) {
        fms_mnum e = fms_facts_eps(f, k);
        fms_doc_append(d, b, "%s$eps_%l =~ %n$", k ? ", " : "", f->d->labels[k], &e);
    }
    fms_build_list_cut(d, b, n);
    b = fms_doc_add(d, p, FMS_BLOCK_STEP, 1, "posterior ");
    for (size_t k = 0; k < n && k < FMS_BUILD_LIST_MAX; k++) {
        fms_mnum w = fms_facts_weight(f, k);
        fms_doc_append(d, b, "%s$P(%l) =~ %n$", k ? ", " : "", f->d->labels[k], &w);
    }
    fms_build_list_cut(d, b, n);
    fms_build_limit_line(d, p, 1, f, 0);
}

/* Why the posterior at one side is what it is: the prior and its reason, or
 * the gap between the two likeliest candidates. */
static void side_reason(fms_doc *d, fms_doc_part *p, const fms_facts *f)
{
    fms_mnum t = fms_build_t(f->x), xt = fms_build_x_t(f->x);
    fms_claim c;
    const fms_data *dd = f->d;
    if (fms_claim_posterior_is_prior(f, &c)) {
        fms_mnum e2 = fms_mnum_rational(f->comp[0].eps * f->comp[0].eps, FMS_THRESHOLDS[FMS_TH_REL_EQ].value);
        const char *why = f->t_zero ? "$x_t = eps$ for every $x_1$, so every gap is $log(p_k/p_j)$ alone"
                          : f->one_point ? "there is only one data point"
                                         : "every candidate noise has the same size, $eps_k^2 = %n$, so every gap is "
                                           "$log(p_k/p_j)$ alone";
        fms_block *b = fms_doc_claim(d, p, &c, "At $t = %n$, ", &t);
        fms_doc_append(d, b, why, &e2);
        fms_doc_append(d, b, ": the posterior is the prior and $u_theta$ averages the targets of all data points.");
        return;
    }
    size_t a = f->top, b2 = f->second;
    fms_mnum ea = fms_facts_eps(f, a), eb = fms_facts_eps(f, b2), g, odds;
    fms_build_gap(f, a, b2, &g, &odds);
    fms_doc_add(d, p, FMS_BLOCK_STEP, 0, "At $t = %n$, reaching $x_t = %n$ from point %l needs $eps_%l =~ %n$, from "
                "point %l $eps_%l =~ %n$: the gap in log-likelihood is $(eps_%l^2 - eps_%l^2)/2 + log(p_%l/p_%l) =~ %n$ "
                "nats, so point %l is $e^{%n} =~ %n$ times as likely as point %l.", &t, &xt, dd->labels[b2],
                dd->labels[b2], &eb, dd->labels[a], dd->labels[a], &ea, dd->labels[b2], dd->labels[a], dd->labels[a],
                dd->labels[b2], &g, dd->labels[a], &g, &odds, dd->labels[b2]);
    if (fms_claim_dominant(f, &c)) {
        fms_mnum ua = fms_facts_u(f, a);
        fms_doc_claim(d, p, &c, "So $x_t$ all but identifies $x_1 = %l$: the supervision is almost all toward it and "
                      "$u_theta ~ u_%l =~ %n$.", dd->labels[a], dd->labels[a], &ua);
    } else if (fms_claim_undecided(f, &c)) {
        fms_mnum w = fms_facts_weight(f, a);
        fms_doc_claim(d, p, &c, "So $x_t$ favours point %l without settling it: $P(%l) =~ %n$.", dd->labels[a],
                      dd->labels[a], &w);
    }
}

/* Why the limits differ (or agree): v = (E[x1 | x_t, t] − x_t)/(1 − t). */
static void conclusion(fms_doc *d, fms_doc_part *p, const fms_facts *f0, const fms_facts *f1)
{
    fms_mnum t0 = fms_build_t(f0->x), t1 = fms_build_t(f1->x), x0 = fms_build_x_t(f0->x), x1 = fms_build_x_t(f1->x);
    fms_mnum s0 = fms_mnum_rational(1 / (1 - f0->x->t_l), 1e-15), s1 = fms_mnum_rational(1 / (1 - f1->x->t_l), 1e-15);
    fms_claim c, same;
    if (!fms_claim_limits_differ(f0, f1, &c)) {
        fms_doc_claim(d, p, &c, "\xE2\x87\x92 $u_theta(%n, %n)$ and $u_theta(%n, %n)$ both converge to $v =~ %n$.", &x0,
                      &t0, &x1, &t1, &f0->v);
        return;
    }
    if (fms_claim_same_posterior(f0, f1, &same) && f0->one_point) {
        fms_doc_claim(d, p, &same, "The posterior is the same at both points (there is only one data point); the "
                      "limits differ because every target $u_k = (x_k - x_t)/(1 - t)$ is scaled by $1/(1 - t)$: $%n$ at "
                      "$t = %n$ and $%n$ at $t = %n$.", &s0, &t0, &s1, &t1);
    } else {
        fms_doc_add(d, p, FMS_BLOCK_STEP, 0, "The limits are $v = (E[x_1 | x_t, t] - x_t)/(1 - t)$: "
                    "$E[x_1 | x_t, t] =~ %n$ at $t = %n$ and $=~ %n$ at $t = %n$, with $1/(1 - t) =~ %n$ and $=~ %n$.",
                    &f0->xhat, &t0, &f1->xhat, &t1, &s0, &s1);
    }
    fms_doc_claim(d, p, &c, "\xE2\x87\x92 $u_theta(%n, %n) -> v =~ %n$ but $u_theta(%n, %n) -> v =~ %n$", &x0, &t0, &f0->v, &x1,
                  &t1, &f1->v);
}

fms_status fms_build_compare(const fms_exset *set, size_t ex, fms_doc *d, fms_error *err)
{
    const fms_exercise *x = &set->ex[ex];
    fms_facts f[2];
    fms_status st = fms_facts_eval(set->data, &set->ex[x->compare[0]], &f[0], err);
    if (st == FMS_OK)
        st = fms_facts_eval(set->data, &set->ex[x->compare[1]], &f[1], err);
    else
        f[1].comp = NULL;
    if (st == FMS_OK) {
        fms_doc_part *p = fms_doc_part_new(d, x->id, "compare", 0, -1, NULL);
        fms_mnum xt = fms_build_x_t(f[0].x);
        if (f[0].x->x_t_l == f[1].x->x_t_l)
            fms_doc_add(d, p, FMS_BLOCK_STEP, 0, "Both points have $x_t = %n$; what differs is $t$, and with it how much "
                        "$x_t$ reveals about $x_1$.", &xt);
        else
            fms_doc_add(d, p, FMS_BLOCK_STEP, 0, "The two points differ in $x_t$ and in $t$; what matters is how much "
                        "$x_t$ reveals about $x_1$.");
        side_lists(d, p, &f[0]);
        side_lists(d, p, &f[1]);
        fms_doc_add(d, p, FMS_BLOCK_STEP, 0, "What decides the posterior is the gap in log-likelihood between "
                    "candidates, $log(P(j)) - log(P(k)) = (eps_k^2 - eps_j^2)/2 + log(p_j/p_k)$ nats:");
        side_reason(d, p, &f[0]);
        side_reason(d, p, &f[1]);
        conclusion(d, p, &f[0], &f[1]);
    }
    fms_facts_free(&f[0]);
    fms_facts_free(&f[1]);
    return st;
}
