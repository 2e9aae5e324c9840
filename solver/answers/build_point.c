/* build_point.c — a point exercise (x_t, t) and its parts: ε, target, share
 * and limit (see build.h). */
#include "answers/build.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/numfmt.h"

fms_mnum fms_build_t(const fms_exercise *x) { return fms_mnum_exact(x->t_l); }
fms_mnum fms_build_x_t(const fms_exercise *x) { return fms_mnum_exact(x->x_t_l); }

void fms_build_list_cut(fms_doc *d, fms_block *b, size_t n)
{
    char buf[96];
    if (n <= FMS_BUILD_LIST_MAX)
        return;
    snprintf(buf, sizeof buf, ", \xE2\x80\xA6 (%zu values in all: see `fmsolve key`)", n);
    fms_doc_append(d, b, "%s", buf);
}

/* The result line "⇒ sym_A = …, sym_B = …" of per-point values. */
static void result_list(fms_doc *d, fms_doc_part *p, const fms_facts *f, const char *sym,
                        fms_mnum (*value)(const fms_facts *, size_t))
{
    fms_block *b = fms_doc_add(d, p, FMS_BLOCK_RESULT, 0, "\xE2\x87\x92 ");
    char fmt[64];
    snprintf(fmt, sizeof fmt, "%%s$%s_%%l =~ %%n$", sym);
    for (size_t k = 0; k < f->d->n && k < FMS_BUILD_LIST_MAX; k++) {
        fms_mnum v = value(f, k);
        fms_doc_append(d, b, fmt, k ? ", " : "", f->d->labels[k], &v);
    }
    fms_build_list_cut(d, b, f->d->n);
}

static void part_eps(fms_doc *d, fms_doc_part *p, const fms_facts *f)
{
    fms_mnum t = fms_build_t(f->x), xt = fms_build_x_t(f->x);
    fms_claim c;
    fms_doc_add(d, p, FMS_BLOCK_STEP, 0, "From L4, $x_t = (1 - t)*eps + t*x_1$, so the noise that leads from $x_1$ "
                "to $x_t$ is $eps = (x_t - t*x_1)/(1 - t)$.");
    if (fms_claim_t_is_zero(f, &c))
        fms_doc_claim(d, p, &c, "At $t = 0$, $x_t = eps$ whatever $x_1$ is: every data point needs the same noise.");
    for (size_t k = 0; k < f->d->n; k++) {
        fms_mnum xk = fms_mnum_exact(f->d->x_l[k]), e = fms_facts_eps(f, k);
        fms_doc_add(d, p, FMS_BLOCK_STEP, 1, "$x_1 = %l$:  $eps = (%n - %n*%n)/(1 - %n) =~ %n$", f->d->labels[k], &xt,
                    &t, &xk, &t, &e);
    }
    result_list(d, p, f, "eps", fms_facts_eps);
}

static void part_target(fms_doc *d, fms_doc_part *p, const fms_facts *f)
{
    fms_doc_add(d, p, FMS_BLOCK_STEP, 0, "From L5, $u = x_1 - eps$ (equivalently $u = (x_1 - x_t)/(1 - t)$).");
    for (size_t k = 0; k < f->d->n; k++) {
        fms_mnum xk = fms_mnum_exact(f->d->x_l[k]), e = fms_facts_eps(f, k), u = fms_facts_u(f, k);
        fms_doc_add(d, p, FMS_BLOCK_STEP, 1, "$x_1 = %l$:  $u = %n - %n =~ %n$", f->d->labels[k], &xk, &e, &u);
    }
    result_list(d, p, f, "u", fms_facts_u);
}

void fms_build_gap(const fms_facts *f, size_t a, size_t b, fms_mnum *gn, fms_mnum *odds)
{
    fms_exact_odds o;
    double g = fms_facts_gap(f, a, b);
    int exact = f->d->log_prob[a] == f->d->log_prob[b];
    if (fms_exact_log_odds(f->d, f->x->t_l, f->x->one_minus_t_l, f->x->x_t_l, a, b, &o, NULL) == FMS_OK) {
        *gn = fms_mnum_from_sci(&o.log, exact ? FMS_NUM_RATIONAL : FMS_NUM_APPROX);
        *odds = isnan(o.odds.mant) ? fms_mnum_exp(o.log_odds) : fms_mnum_from_sci(&o.odds, FMS_NUM_APPROX);
        g = (double)o.log_odds;
    } else {
        *gn = fms_mnum_approx(g);
        *odds = fms_mnum_exp(g);
    }
    /* Every digit of the whole part and three more: "e^199800.405", not "e^199800". */
    int whole = fabs(g) >= 1 ? (int)floor(log10(fabs(g))) + 1 : 1;
    gn->sig = whole + 3 < FMS_MATH_SIG ? FMS_MATH_SIG : whole + 3 > 17 ? 17 : whole + 3;
}

static void share_odds(fms_doc *d, fms_doc_part *p, const fms_facts *f)
{
    const fms_data *dd = f->d;
    size_t a = f->top, b = f->second;
    if (f->prior && dd->log_prob[a] == dd->log_prob[b]) {
        fms_doc_add(d, p, FMS_BLOCK_STEP, 0, "odds $%l : %l = 1 : 1$", dd->labels[a], dd->labels[b]);
        return;
    }
    fms_mnum g, odds;
    int same_p = dd->log_prob[a] == dd->log_prob[b];
    fms_build_gap(f, a, b, &g, &odds);
    if (f->prior) /* the odds are the prior's, p_a/p_b: a rational */
        odds = fms_mnum_rational(dd->prob[a] / dd->prob[b], FMS_THRESHOLDS[FMS_TH_REL_EQ].value);
    if (same_p)
        fms_doc_add(d, p, FMS_BLOCK_STEP, 0, "odds $%l : %l = exp((eps_%l^2 - eps_%l^2)/2) =~ e^{%n} =~ %n : 1$",
                    dd->labels[a], dd->labels[b], dd->labels[b], dd->labels[a], &g, &odds);
    else
        fms_doc_add(d, p, FMS_BLOCK_STEP, 0, "odds $%l : %l = (p_%l/p_%l)*exp((eps_%l^2 - eps_%l^2)/2) =~ e^{%n} =~ "
                    "%n : 1$", dd->labels[a], dd->labels[b], dd->labels[a], dd->labels[b], dd->labels[b],
                    dd->labels[a], &g, &odds);
}

/* "x_t tells nothing" and its reason, or "close to the prior". */
static void share_prior_claims(fms_doc *d, fms_doc_part *p, const fms_facts *f)
{
    fms_claim c;
    if (fms_claim_posterior_is_prior(f, &c)) {
        fms_mnum e2 = fms_mnum_rational(f->comp[0].eps * f->comp[0].eps, FMS_THRESHOLDS[FMS_TH_REL_EQ].value);
        const char *why = f->t_zero ? "at $t = 0$, $x_t = eps$ whatever $x_1$ is"
                          : f->one_point ? "there is only one data point"
                                         : "every candidate noise has the same size, $eps_k^2 = %n$";
        fms_block *b = fms_doc_claim(d, p, &c, "Here the posterior equals the prior, because ");
        fms_doc_append(d, b, why, &e2);
        fms_doc_append(d, b, ": $x_t$ tells nothing about $x_1$, so the loop supervises toward each data point "
                       "exactly as often as it samples it.");
    } else if (fms_claim_posterior_near_prior(f, &c)) {
        fms_mnum dev = fms_mnum_approx(fms_claim_get(&c, "max_relative_change").value);
        dev.sig = 2;
        fms_doc_claim(d, p, &c, "The posterior is close to the prior, not equal to it: every share is within a "
                      "relative $%n$ of its $p_k$.", &dev);
    }
}

static void share_rare_claim(fms_doc *d, fms_doc_part *p, const fms_facts *f)
{
    fms_claim c;
    if (!fms_claim_rare(f, &c))
        return;
    double lw = fms_claim_get(&c, "log_weight").value;
    const char *label = fms_claim_get(&c, "label").label;
    fms_mnum once = fms_mnum_exp(-lw);
    double m;
    long long e10;
    if (fms_numfmt_exp10_split(-lw, &m, &e10) == FMS_OK)
        once = fms_mnum_sci(m, e10, FMS_NUM_APPROX);
    if (fms_claim_get(&c, "count").value == 1) {
        fms_doc_claim(d, p, &c, "Supervision toward point %l is rare, not impossible: about once in $%n$ visits to "
                      "this $(x_t, t)$.", label, &once);
        return;
    }
    fms_block *b = fms_doc_claim(d, p, &c, "Supervision toward points ");
    size_t shown = 0, total = (size_t)fms_claim_get(&c, "count").value;
    for (size_t k = 0; k < f->d->n && shown < FMS_BUILD_LIST_MAX; k++)
        if (f->comp[k].log_weight < log(FMS_THRESHOLDS[FMS_TH_RARE].value))
            fms_doc_append(d, b, "%s%l", shown++ == 0 ? "" : shown == total ? " and " : ", ", f->d->labels[k]);
    if (shown < total)
        fms_doc_append(d, b, " and others");
    fms_doc_append(d, b, " is rare, not impossible: the likeliest of them, point %l, gets about one visit in $%n$ to "
                   "this $(x_t, t)$, the others fewer.", label, &once);
}

static void part_share(fms_doc *d, fms_doc_part *p, const fms_facts *f)
{
    fms_doc_add(d, p, FMS_BLOCK_STEP, 0, "L1\xE2\x80\x93L4 reach $(x_t, t)$ from $x_1 = k$ only through $eps_k$, with "
                "density $p(k)*phi(eps_k)/(1 - t)$ ($phi$ is the $N(0, 1)$ density). The factor $1/(1 - t)$ and "
                "$phi$'s constant are the same for every $x_1$ and cancel:");
    fms_doc_add(d, p, FMS_BLOCK_EQUATION, 0, "$P(x_1 = k | x_t, t) prop p(k)*exp(-eps_k^2/2)$");
    for (size_t k = 0; k < f->d->n; k++) {
        fms_mnum pk = fms_mnum_exact(f->d->prob[k]), e = fms_facts_eps(f, k);
        fms_mnum half = fms_mnum_rational(-0.5 * f->comp[k].eps * f->comp[k].eps, FMS_THRESHOLDS[FMS_TH_REL_EQ].value);
        pk.cls = FMS_NUM_RATIONAL, pk.relerr = FMS_THRESHOLDS[FMS_TH_REL_EQ].value;
        fms_doc_add(d, p, FMS_BLOCK_STEP, 1, "%l:  $%n*exp(-%n^2/2) =~ %n*exp(%n)$", f->d->labels[k], &pk, &e, &pk,
                    &half);
    }
    if (f->d->n >= 2)
        share_odds(d, p, f);
    fms_block *b = fms_doc_add(d, p, FMS_BLOCK_RESULT, 0, "\xE2\x87\x92 ");
    for (size_t k = 0; k < f->d->n && k < FMS_BUILD_LIST_MAX; k++) {
        fms_mnum w = fms_facts_weight(f, k);
        fms_doc_append(d, b, "%s$P(%l | x_t, t) =~ %n$", k ? ", " : "", f->d->labels[k], &w);
    }
    fms_build_list_cut(d, b, f->d->n);
    share_prior_claims(d, p, f);
    share_rare_claim(d, p, f);
}

/* Σ_k w_k·u_k with the numbers, as a formula (n ≤ FMS_BUILD_LIST_MAX). */
static fms_math *weighted_sum(fms_doc *d, const fms_facts *f)
{
    fms_math *sum = NULL;
    for (size_t k = 0; k < f->d->n; k++) {
        fms_mnum w = fms_facts_weight(f, k), u = fms_facts_u(f, k);
        sum = sum ? fms_math_parse(&d->pool, "%m + %n*%n", sum, &w, &u) : fms_math_parse(&d->pool, "%n*%n", &w, &u);
    }
    return sum;
}

void fms_build_limit_line(fms_doc *d, fms_doc_part *p, int level, const fms_facts *f, int symbolic)
{
    fms_mnum t = fms_build_t(f->x), xt = fms_build_x_t(f->x);
    fms_claim c;
    int negligible = fms_claim_velocity_negligible(f, &c);
    char fmt[160];
    const char *lhs = symbolic ? "u_theta(%n, %n) -> Sum_k(P(x_1 = k | x_t, t)*u_k)" : "u_theta";
    int sum = f->d->n <= FMS_BUILD_LIST_MAX;
    snprintf(fmt, sizeof fmt, "$%s%s =~ %%n%s$", lhs, sum ? " =~ %m" : "", negligible ? " ~ 0" : "");
    fms_math *terms = sum ? weighted_sum(d, f) : NULL;
    fms_block *b;
    if (symbolic)
        b = sum ? fms_doc_add(d, p, FMS_BLOCK_EQUATION, level, fmt, &xt, &t, terms, &f->v)
                : fms_doc_add(d, p, FMS_BLOCK_EQUATION, level, fmt, &xt, &t, &f->v);
    else
        b = sum ? fms_doc_add(d, p, FMS_BLOCK_EQUATION, level, fmt, terms, &f->v)
                : fms_doc_add(d, p, FMS_BLOCK_EQUATION, level, fmt, &f->v);
    if (negligible)
        fms_doc_note(d, b, &c);
}

void fms_build_where(fms_doc *d, fms_block *b, const fms_facts *f)
{
    fms_claim c;
    size_t k = 0, lo = 0, hi = 0;
    if (f->one_point) {
        fms_claim_posterior_is_prior(f, &c);
        fms_doc_note(d, b, &c);
        fms_doc_append(d, b, "point %l, the only data point", f->d->labels[0]);
        return;
    }
    if (fms_claim_xhat_at_mean(f, &c)) {
        fms_doc_note(d, b, &c);
        fms_doc_append(d, b, "the mean of the data");
        if (fms_claim_mean_is_point(f, &c, &k))
            fms_doc_append(d, b, ", which here coincides with point %l", f->d->labels[k]);
        else if (fms_claim_xhat_between(f, &c, &lo, &hi))
            fms_doc_append(d, b, ", between points %l and %l", f->d->labels[lo], f->d->labels[hi]);
        fms_doc_note(d, b, &c);
        return;
    }
    if (fms_claim_xhat_near_point(f, &c)) {
        fms_doc_note(d, b, &c);
        fms_mnum w = fms_facts_weight(f, f->top), rest = fms_mnum_sci(w.mant, w.e10, FMS_NUM_APPROX);
        if (w.form != FMS_FORM_ONE_MINUS)
            rest = fms_mnum_approx(-expm1(f->comp[f->top].log_weight));
        fms_doc_append(d, b, "point %l, almost exactly (all but $%n$ of the posterior is on %l)", f->d->labels[f->top],
                       &rest, f->d->labels[f->top]);
    } else if (fms_claim_xhat_between(f, &c, &lo, &hi)) {
        fms_doc_note(d, b, &c);
        fms_doc_append(d, b, "a value between points %l and %l", f->d->labels[lo], f->d->labels[hi]);
    } else if (fms_claim_xhat_at_point_value(f, &c, &k)) {
        fms_mnum tol = fms_mnum_approx(fms_claim_get(&c, "bound").value);
        fms_doc_note(d, b, &c);
        fms_doc_append(d, b, "the value of point %l, to within $%n$", f->d->labels[k], &tol);
    }
}

static void part_limit(fms_doc *d, fms_doc_part *p, const fms_facts *f)
{
    fms_mnum t = fms_build_t(f->x), xt = fms_build_x_t(f->x);
    fms_claim c;
    fms_doc_add(d, p, FMS_BLOCK_STEP, 0, "L6 minimises $E[norm(u_theta(x_t, t) - u)^2]$; the minimiser at each "
                "$(x_t, t)$ is the average of the targets the loop produces there, weighted by how often it produces "
                "them (the posterior of $x_1$):");
    fms_build_limit_line(d, p, 0, f, 1);
    fms_block *b = fms_doc_add(d, p, FMS_BLOCK_STEP, 0, "$E[x_1 | x_t, t] = x_t + (1 - t)*v =~ %n$ is ", &f->xhat);
    fms_build_where(d, b, f);
    fms_doc_append(d, b, ".");
    if (fms_claim_t_is_zero(f, &c))
        fms_doc_claim(d, p, &c, "(At $t = 0$ the field is $E[x_1] - x_t$ everywhere: every point heads for the mean "
                      "of the data.)");
    b = fms_doc_add(d, p, FMS_BLOCK_RESULT, 0, "\xE2\x87\x92 $u_theta(%n, %n) -> v =~ %n$", &xt, &t, &f->v);
    if (fms_claim_velocity_zero(f, &c)) {
        fms_doc_note(d, b, &c);
        fms_doc_append(d, b, ": it is zero, so it points nowhere; $x_t$ already sits at ");
    } else if (fms_mnum_double(&f->v) == 0 && f->v.mant == 0) {
        fms_doc_append(d, b, ": zero to the precision of the computation; $E[x_1 | x_t, t]$ is ");
    } else {
        fms_doc_append(d, b, "; it points toward ");
    }
    fms_build_where(d, b, f);
}

/* The question of a part when the sheet gives none: what the kind asks, at this point. */
static const char *default_question(fms_doc *d, const fms_exercise *x, size_t p)
{
    char buf[256], xs[FMS_NUM_MAX], ts[FMS_NUM_MAX];
    fms_numfmt_text(x->x_t, 15, xs);
    fms_numfmt_text(x->t, 15, ts);
    static const char *const ask[] = {
        [FMS_PART_EPS] = "Which \xCE\xB5 produced x_t = %s at t = %s, for each x1?",
        [FMS_PART_TARGET] = "What is the target velocity u for each x1?",
        [FMS_PART_SHARE] = "How often does the training loop supervise toward each x1 at this (x_t, t)?",
        [FMS_PART_LIMIT] = "What does u_\xCE\xB8(%s, %s) converge to, and where does it point?",
    };
    snprintf(buf, sizeof buf, ask[x->parts[p].kind], xs, ts);
    return fms_doc_strdup(d, buf);
}

fms_status fms_build_point(const fms_exset *set, size_t ex, int only, fms_doc *d, fms_error *err)
{
    const fms_exercise *x = &set->ex[ex];
    fms_facts f;
    fms_status st = fms_facts_eval(set->data, x, &f, err);
    static void (*const build[])(fms_doc *, fms_doc_part *, const fms_facts *) = {
        [FMS_PART_EPS] = part_eps, [FMS_PART_TARGET] = part_target,
        [FMS_PART_SHARE] = part_share, [FMS_PART_LIMIT] = part_limit,
    };
    for (size_t p = 0; st == FMS_OK && p < x->nparts; p++) {
        if (only >= 0 && (size_t)only != p)
            continue;
        char id[48];
        snprintf(id, sizeof id, "%s%c", x->id, (char)('a' + p));
        const char *q = x->parts[p].question ? x->parts[p].question : default_question(d, x, p);
        fms_doc_part *dp = fms_doc_part_new(d, id, fms_exset_part_kind_name(x->parts[p].kind), 'a' + (int)p, (int)p, q);
        build[x->parts[p].kind](d, dp, &f);
    }
    fms_facts_free(&f);
    return st;
}
