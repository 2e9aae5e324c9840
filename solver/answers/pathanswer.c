/* pathanswer.c — see pathanswer.h. */
#include "answers/pathanswer.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/numfmt.h"
#include "model/affine.h"
#include "model/pathexpr.h"

#define MINUS "\xE2\x88\x92"
#define IMPLIES "\xE2\x87\x92"
#define APPROX "\xE2\x89\x88"
/* Worked answers show six significant digits (the key has fifteen). */
#define DIGITS 6
#define RING 16

/* ---- writing ------------------------------------------------------------ */

typedef struct pa {
    const fms_exset *set;
    fms_strbuf *out;
    char num[RING][FMS_NUM_MAX];
    int next;
    char f[4][FMS_PATHEXPR_MAX]; /* formulas for the line being written */
} pa;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void line(pa *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fms_strbuf_vprintf(a->out, fmt, ap);
    va_end(ap);
    fms_strbuf_puts(a->out, "\n");
    a->next = 0;
}

/* A number for a step: six digits, a word when it is not finite; in
 * parentheses when negative and paren is set (a factor: 0.9·(−0.5)). */
static const char *num_in(pa *a, double x, int paren)
{
    char *s = a->num[a->next++ % RING];
    char tmp[FMS_NUM_MAX];
    if (isnan(x))
        snprintf(tmp, sizeof tmp, "undetermined");
    else if (isinf(x))
        snprintf(tmp, sizeof tmp, "%s\xE2\x88\x9E", x > 0 ? "+" : MINUS);
    else
        fms_numfmt_text(x, DIGITS, tmp);
    snprintf(s, FMS_NUM_MAX, paren && x < 0 && isfinite(x) ? "(%.60s)" : "%.62s", tmp);
    return s;
}

static const char *n(pa *a, double x)
{
    return num_in(a, x, 0);
}

static const char *np(pa *a, double x)
{
    return num_in(a, x, 1);
}

/* A number to be squared: in parentheses when negative or written with a power of ten. */
static const char *nsq(pa *a, double x)
{
    const char *s = num_in(a, x, 1);
    if (s[0] == '(' || strstr(s, "10^") == NULL)
        return s;
    char *t = a->num[a->next++ % RING];
    snprintf(t, FMS_NUM_MAX, "(%.60s)", s);
    return t;
}

/* "=" when the six digits shown are the value, "≈" when they are rounded. */
static const char *eq(double x)
{
    char tmp[FMS_NUM_MAX];
    snprintf(tmp, sizeof tmp, "%.*g", DIGITS, x);
    return !isfinite(x) || strtod(tmp, NULL) == x ? "=" : APPROX;
}

/* A posterior share from its log: "1 − 2.86·10^-20" within a hair of 1, else its digits. */
static const char *share(pa *a, double log_w)
{
    char *s = a->num[a->next++ % RING];
    if (log_w <= -1e-4) {
        if (fms_numfmt_text_exp(log_w, DIGITS, s) != FMS_OK)
            snprintf(s, FMS_NUM_MAX, "?");
        return s;
    }
    double rest = -expm1(log_w);
    char tmp[FMS_NUM_MAX];
    fms_numfmt_text(rest, DIGITS, tmp);
    snprintf(s, FMS_NUM_MAX, rest == 0.0 ? "1" : "1 " MINUS " %.50s", tmp);
    return s;
}

/* e^l as a number, also beyond the range of a double. */
static const char *expo(pa *a, double l)
{
    char *s = a->num[a->next++ % RING];
    if (fms_numfmt_text_exp(l, DIGITS, s) != FMS_OK)
        snprintf(s, FMS_NUM_MAX, "?");
    return s;
}

/* Formula slot i: quantity q of the set's path in t, UTF-8. */
static const char *qty(pa *a, int i, fms_path_quantity q)
{
    if (fms_pathexpr_quantity(&a->set->schedule, a->set->convention, q, FMS_PATHEXPR_UTF8, a->f[i]) != FMS_OK)
        snprintf(a->f[i], sizeof a->f[i], "?");
    return a->f[i];
}

/* Formula slot i as "F = v" for quantity q with value v, or "v" when F is that number. */
static const char *qty_at(pa *a, int i, fms_path_quantity q, double v)
{
    qty(a, i, q);
    const char *s = n(a, v);
    if (strcmp(a->f[i], s) != 0) {
        size_t len = strlen(a->f[i]);
        snprintf(a->f[i] + len, sizeof a->f[i] - len, " = %s", s);
    }
    return a->f[i];
}

/* "⇒ $sym_A = v$, $sym_B = v$" for the first eight labels. */
static void answer(pa *a, const char *sym, const double *v)
{
    const fms_data *d = a->set->data;
    fms_strbuf_puts(a->out, IMPLIES " ");
    size_t shown = d->n <= 8 ? d->n : 8;
    for (size_t k = 0; k < shown; k++) {
        a->next = 0;
        fms_strbuf_printf(a->out, "%s$%s_%s = %s$", k ? ", " : "", sym, d->labels[k], n(a, v[k]));
    }
    if (shown < d->n)
        fms_strbuf_printf(a->out, ", ... (%zu values; see 'fmsolve key')", d->n);
    line(a, "%s", "");
}

static fms_status nomem(fms_strbuf *out, fms_error *err)
{
    return fms_strbuf_status(out) == FMS_OK ? FMS_OK : fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
}

/* ---- the parameterizations in words ------------------------------------ */

static const struct param_words {
    const char *sym;    /* the value's symbol */
    const char *model;  /* the model's symbol */
} words[FMS_PARAM_COUNT] = {
    [FMS_PARAM_VELOCITY] = { "u", "u_\xCE\xB8" },
    [FMS_PARAM_EPSILON] = { "\xCE\xB5", "\xCE\xB5_\xCE\xB8" },
    [FMS_PARAM_X1] = { "x1", "x1_\xCE\xB8" },
    [FMS_PARAM_SCORE] = { "s", "s_\xCE\xB8" },
    [FMS_PARAM_V] = { "v", "v_\xCE\xB8" },
};

int fms_pathanswer_needed(const fms_exset *set)
{
    return !fms_exset_seed_path(set) || set->param != FMS_PARAM_VELOCITY;
}

static void path_line(const fms_exset *set, fms_strbuf *lines)
{
    pa a = { .set = set, .out = lines };
    char name[FMS_SCHEDULE_NAME_MAX];
    fms_schedule_name(&set->schedule, name);
    const int at0 = set->convention == FMS_DATA_AT_0;
    line(&a, "Path: $x_t = α_t·x1 + σ_t·ε$ with $α_t = %s$, $σ_t = %s$ (schedule %s, data at t = %s%s) and "
             "$ε ~ N(0, 1)$; target $u = α̇_t·x1 + σ̇_t·ε$%s%s.",
         qty(&a, 0, FMS_PATH_ALPHA), qty(&a, 1, FMS_PATH_SIGMA), name, at0 ? "0" : "1",
         at0 ? ", as diffusers" : "", set->param == FMS_PARAM_VELOCITY ? "" : "; the model predicts the ",
         set->param == FMS_PARAM_VELOCITY ? "" : fms_param_title(set->param));
}

/* The question of part p when the sheet gives none, in the set's parameterization. */
static const char *part_question(const fms_exset *set, const fms_exercise *x, size_t p, char *buf, size_t cap)
{
    char xs[FMS_NUM_MAX], ts[FMS_NUM_MAX];
    fms_numfmt_text(x->x_t, DIGITS, xs);
    fms_numfmt_text(x->t, DIGITS, ts);
    const char *title = fms_param_title(set->param);
    switch (x->parts[p].kind) {
    case FMS_PART_EPS: snprintf(buf, cap, "Which ε produced x_t = %s at t = %s, for each x1?", xs, ts); break;
    case FMS_PART_TARGET: snprintf(buf, cap, "What is the target of the %s model for each x1?", title); break;
    case FMS_PART_SHARE:
        snprintf(buf, cap, "How often does the training loop supervise toward each x1 at this (x_t, t)?");
        break;
    case FMS_PART_LIMIT:
        snprintf(buf, cap, "What does %s(%s, %s) converge to, and where does it point?", words[set->param].model, xs,
                 ts);
        break;
    }
    return buf;
}

/* ---- point exercises ---------------------------------------------------- */

typedef struct point {
    const fms_exercise *x;
    fms_schedule_point pt;
    fms_affine_result res;
    fms_component *comp;
    double *vals;
} point;

static void part_eps(pa *a, const point *q)
{
    const fms_data *d = a->set->data;
    const double al = (double)q->pt.alpha, sg = (double)q->pt.sigma;
    line(a, "From L4, $x_t = α_t·x1 + σ_t·ε$; at $t = %s$, $α_t = %s$ and $σ_t = %s$. So the noise "
            "that leads from x1 to x_t is $ε = (x_t " MINUS " α·x1)/σ$.",
         n(a, q->x->t), qty_at(a, 0, FMS_PATH_ALPHA, al), qty_at(a, 1, FMS_PATH_SIGMA, sg));
    if (al == 0.0)
        line(a, "At $t = %s$, $α = 0$: $x_t = σ·ε$ whatever x1 is, so every data point needs the same noise.",
             n(a, q->x->t));
    for (size_t k = 0; k < d->n; k++) {
        q->vals[k] = q->comp[k].eps;
        line(a, "  $x1 = %s$:  $ε = (%s " MINUS " %s·%s)/%s %s %s$", d->labels[k], n(a, q->x->x_t), n(a, al),
             np(a, d->x[k]), n(a, sg), eq(q->vals[k]), n(a, q->vals[k]));
    }
    answer(a, "ε", q->vals);
}

/* The lead-in of the target part: what the set's model is trained on. */
static void target_intro(pa *a, const point *q)
{
    const double al = (double)q->pt.alpha, sg = (double)q->pt.sigma;
    switch (a->set->param) {
    case FMS_PARAM_VELOCITY:
        line(a, "From L5, $u = α̇_t·x1 + σ̇_t·ε$; at $t = %s$, $α̇_t = %s$ and $σ̇_t = %s$.", n(a, q->x->t),
             qty_at(a, 0, FMS_PATH_ALPHA_DOT, (double)q->pt.alpha_dot),
             qty_at(a, 1, FMS_PATH_SIGMA_DOT, (double)q->pt.sigma_dot));
        break;
    case FMS_PARAM_EPSILON:
        line(a, "The model predicts the noise (param = epsilon): its target at L5 is ε itself, the noise of each case.");
        break;
    case FMS_PARAM_X1:
        line(a, "The model predicts the clean sample (param = x1): its target at L5 is x1 itself.");
        break;
    case FMS_PARAM_SCORE:
        line(a, "The model predicts the score (param = score): its target is the conditional score "
                "$∇ log p(x_t | x1) = " MINUS "(x_t " MINUS " α·x1)/σ² = " MINUS "ε/σ$, with $σ = %s$ at $t = %s$.",
             n(a, sg), n(a, q->x->t));
        break;
    case FMS_PARAM_V:
        line(a, "The model predicts v (param = v, Salimans and Ho): its target is $v = α·ε " MINUS " σ·x1$, with "
                "$α = %s$ and $σ = %s$ at $t = %s$.", n(a, al), n(a, sg), n(a, q->x->t));
        break;
    }
}

static void part_target(pa *a, const point *q)
{
    const fms_data *d = a->set->data;
    const fms_param p = a->set->param;
    const double al = (double)q->pt.alpha, sg = (double)q->pt.sigma;
    target_intro(a, q);
    for (size_t k = 0; k < d->n; k++) {
        const double e = q->comp[k].eps, v = fms_exset_target(a->set, &q->pt, k, &q->comp[k]);
        q->vals[k] = v;
        if (p == FMS_PARAM_VELOCITY)
            line(a, "  $x1 = %s$:  $u = %s·%s + %s·%s %s %s$", d->labels[k], np(a, (double)q->pt.alpha_dot),
                 np(a, d->x[k]), np(a, (double)q->pt.sigma_dot), np(a, e), eq(v), n(a, v));
        else if (p == FMS_PARAM_SCORE)
            line(a, "  $x1 = %s$:  $s = " MINUS "%s/%s %s %s$", d->labels[k], np(a, e), n(a, sg), eq(v), n(a, v));
        else if (p == FMS_PARAM_V)
            line(a, "  $x1 = %s$:  $v = %s·%s " MINUS " %s·%s %s %s$", d->labels[k], n(a, al), np(a, e), n(a, sg),
                 np(a, d->x[k]), eq(v), n(a, v));
        else
            line(a, "  $x1 = %s$:  target $%s = %s$", d->labels[k], words[p].sym, n(a, v));
    }
    answer(a, words[p].sym, q->vals);
}

/* The two labels of largest weight. */
static void top_labels(const fms_component *comp, size_t n, size_t *first, size_t *second)
{
    *first = 0;
    for (size_t k = 1; k < n; k++)
        if (comp[k].log_weight > comp[*first].log_weight)
            *first = k;
    *second = *first == 0 && n > 1 ? 1 : 0;
    for (size_t k = 0; k < n; k++)
        if (k != *first && comp[k].log_weight > comp[*second].log_weight)
            *second = k;
}

static void part_share(pa *a, const point *q)
{
    const fms_data *d = a->set->data;
    line(a, "L1" "\xE2\x80\x93" "L4 reach (x_t, t) from $x1 = k$ only through $ε_k$, with density $p(k)·φ(ε_k)/σ_t$ "
            "(φ is the N(0, 1) density). The factor $1/σ_t$ and φ's constant are the same for every x1 and cancel:");
    line(a, "$P(x1 = k | x_t, t) ∝ p(k)·exp(" MINUS "ε_k²/2)$");
    for (size_t k = 0; k < d->n && k < 8; k++)
        line(a, "  %s:  $%s·exp(" MINUS "%s²/2) = %s·exp(%s)$", d->labels[k], n(a, d->prob[k]), nsq(a, q->comp[k].eps),
             n(a, d->prob[k]), n(a, -0.5 * q->comp[k].eps * q->comp[k].eps));
    size_t k1, k2;
    top_labels(q->comp, d->n, &k1, &k2);
    double lo = q->comp[k1].log_weight - q->comp[k2].log_weight;
    if (d->n >= 2 && lo > 0)
        line(a, "odds %s : %s = $e^%s %s %s$ : 1", d->labels[k1], d->labels[k2], n(a, lo), lo > 700 ? APPROX : eq(exp(lo)),
             expo(a, lo));
    fms_strbuf_puts(a->out, IMPLIES " ");
    for (size_t k = 0; k < d->n && k < 8; k++) {
        a->next = 0;
        fms_strbuf_printf(a->out, "%s$P(%s | x_t, t) = %s$", k ? ", " : "", d->labels[k], share(a, q->comp[k].log_weight));
    }
    line(a, "%s", d->n > 8 ? ", ... (see 'fmsolve key')" : "");
    if (q->pt.alpha == 0.0L)
        line(a, "At $α = 0$ the posterior is the prior: x_t tells nothing about x1, so the loop supervises toward each "
                "data point exactly as often as it samples it.");
}

/* Where x̂1 lies: "at A", "at the mean of the data, ...", "between the data points, ...". */
static void where_x1(const fms_data *d, double x1, char *out, size_t cap)
{
    double spread = fms_data_spread(d), tol = 1e-6 * (spread > 0 ? spread : 1.0);
    for (size_t k = 0; k < d->n; k++)
        if (fabs(x1 - d->x[k]) <= tol) {
            snprintf(out, cap, "at %s", d->labels[k]);
            return;
        }
    const char *at = fabs(x1 - fms_data_mean(d)) <= tol ? "at the mean of the data" : "between the data points";
    if (d->n == 2)
        snprintf(out, cap, "%s, neither %s nor %s", at, d->labels[0], d->labels[1]);
    else
        snprintf(out, cap, "%s, at no data point", at);
}

static void part_limit(pa *a, const point *q)
{
    const fms_data *d = a->set->data;
    const fms_param p = a->set->param;
    const double lim = q->res.value[p], x1 = q->res.value[FMS_PARAM_X1];
    const char *m = words[p].model, *xs = n(a, q->x->x_t), *ts = n(a, q->x->t);
    char at[160];
    where_x1(d, x1, at, sizeof at);
    line(a, "L6 minimises $E[‖%s(x_t, t) " MINUS " %s‖²]$; the minimiser at each (x_t, t) is the average of the "
            "targets the loop produces there, weighted by how often it produces them (the posterior of x1):",
         m, words[p].sym);
    fms_strbuf sum = { 0 };
    for (size_t k = 0; k < d->n && d->n <= 4; k++) {
        a->next = 2;
        const char *w = share(a, q->comp[k].log_weight);
        fms_strbuf_printf(&sum, "%s%s%s%s·%s", k ? " + " : "", strchr(w, ' ') ? "(" : "", w, strchr(w, ' ') ? ")" : "",
                          np(a, fms_exset_target(a->set, &q->pt, k, &q->comp[k])));
    }
    a->next = 2;
    line(a, "$%s(%s, %s) → Σ P(x1 | x_t, t)·%s(x1) %s%s %s %s$", m, xs, ts, words[p].sym, d->n <= 4 ? "= " : "",
         fms_strbuf_str(&sum), eq(lim), n(a, lim));
    fms_strbuf_free(&sum);
    if (q->pt.alpha == 0.0L)
        line(a, "(At $t = %s$, $α = 0$: x_t carries no information about x1, the posterior is the prior and "
                "$E[x1 | x_t, t] = E[x1] = %s$.)", n(a, q->x->t), n(a, fms_data_mean(d)));
    line(a, "%s $E[x1 | x_t, t] = Σ P(x1 | x_t, t)·x1 %s %s$: %s.",
         p == FMS_PARAM_VELOCITY ? "It points at" : "The clean sample it stands for is", eq(x1), n(a, x1), at);
    line(a, IMPLIES " $%s(%s, %s) → %s$; %s %s", m, n(a, q->x->x_t), n(a, q->x->t), n(a, lim),
         p == FMS_PARAM_VELOCITY ? "it points" : "its clean sample is", at);
}

static fms_status eval_point(const fms_exset *set, const fms_exercise *x, point *q, fms_error *err)
{
    q->x = x;
    q->comp = calloc(set->data->n, sizeof *q->comp);
    q->vals = calloc(set->data->n, sizeof *q->vals);
    if (q->comp == NULL || q->vals == NULL)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    return fms_exset_eval_path(set, x, q->comp, &q->res, &q->pt, err);
}

static void point_free(point *q)
{
    free(q->comp);
    free(q->vals);
}

static fms_status answer_part(const fms_exset *set, size_t ex, size_t p, fms_strbuf *lines, fms_error *err)
{
    pa a = { .set = set, .out = lines };
    point q = { 0 };
    fms_status st = eval_point(set, &set->ex[ex], &q, err);
    if (st == FMS_OK) {
        switch (set->ex[ex].parts[p].kind) {
        case FMS_PART_EPS: part_eps(&a, &q); break;
        case FMS_PART_TARGET: part_target(&a, &q); break;
        case FMS_PART_SHARE: part_share(&a, &q); break;
        case FMS_PART_LIMIT: part_limit(&a, &q); break;
        }
        st = nomem(lines, err);
    }
    point_free(&q);
    return st;
}

/* ---- compare ------------------------------------------------------------ */

static fms_status answer_compare(const fms_exset *set, size_t ex, fms_strbuf *lines, fms_error *err)
{
    pa a = { .set = set, .out = lines };
    const fms_exercise *x = &set->ex[ex];
    const fms_data *d = set->data;
    const fms_param p = set->param;
    point q[2] = { { 0 }, { 0 } };
    fms_status st = FMS_OK;
    for (int s = 0; s < 2 && st == FMS_OK; s++)
        st = eval_point(set, &set->ex[x->compare[s]], &q[s], err);
    if (st == FMS_OK) {
        if (q[0].x->x_t == q[1].x->x_t)
            line(&a, "Both points have $x_t = %s$; what differs is t, and with it how much x_t reveals about x1.",
                 n(&a, q[0].x->x_t));
        else
            line(&a, "The two points differ in x_t and in t; what matters is how much x_t reveals about x1.");
        for (int s = 0; s < 2; s++) {
            fms_strbuf_printf(lines, "  %s ($x_t = %s$, $t = %s$): ", q[s].x->id, n(&a, q[s].x->x_t), n(&a, q[s].x->t));
            for (size_t k = 0; k < d->n && k < 4; k++) {
                a.next = 0;
                fms_strbuf_printf(lines, "$ε_%s = %s$, $P(%s) = %s$; ", d->labels[k], n(&a, q[s].comp[k].eps),
                                  d->labels[k], share(&a, q[s].comp[k].log_weight));
            }
            line(&a, "$%s → %s$", words[p].model, n(&a, q[s].res.value[p]));
        }
        const double spread = fms_data_spread(d);
        const double w0 = (double)(q[0].pt.alpha / q[0].pt.sigma) * spread, w1 = (double)(q[1].pt.alpha / q[1].pt.sigma) * spread;
        line(&a, "Why: the candidate noises $ε_k = (x_t " MINUS " α·x_k)/σ$ spread over $(α/σ)·(max x_k " MINUS
                 " min x_k)$: $%s$ at $t = %s$ and $%s$ at $t = %s$. The wider they spread, the more one of them is a "
                 "typical N(0, 1) draw and the others are not, so x_t identifies x1 and the limit follows that "
                 "point's target; where they coincide the posterior stays the prior and the limit averages the targets.",
             n(&a, w0), n(&a, q[0].x->t), n(&a, w1), n(&a, q[1].x->t));
        line(&a, IMPLIES " $%s(%s, %s) → %s$ but $%s(%s, %s) → %s$", words[p].model, n(&a, q[0].x->x_t),
             n(&a, q[0].x->t), n(&a, q[0].res.value[p]), words[p].model, n(&a, q[1].x->x_t), n(&a, q[1].x->t),
             n(&a, q[1].res.value[p]));
        st = nomem(lines, err);
    }
    point_free(&q[0]);
    point_free(&q[1]);
    return st;
}

/* ---- convert ------------------------------------------------------------ */

/* Formula slot i: the conversion from → to, symbolic or written out in t. */
static const char *conv_formula(pa *a, int i, fms_param from, fms_param to, int model, int symbolic)
{
    fms_status st = symbolic ? fms_pathexpr_convert_symbolic(from, to, model, FMS_PATHEXPR_UTF8, a->f[i])
                             : fms_pathexpr_convert(&a->set->schedule, a->set->convention, from, to, model,
                                                    FMS_PATHEXPR_UTF8, a->f[i]);
    if (st != FMS_OK)
        snprintf(a->f[i], sizeof a->f[i], "?");
    return a->f[i];
}

/* The definitions of W, ρ and R where a symbolic formula uses them. */
static void where_defs(pa *a, const char *used)
{
    static const struct { const char *sym; fms_path_quantity q; const char *def; } defs[] = {
        { "W", FMS_PATH_W, "W = α̇·σ " MINUS " σ̇·α" },
        { "\xCF\x81", FMS_PATH_RHO, "ρ = α̇·α + σ̇·σ" },
        { "R", FMS_PATH_R, "R = α² + σ²" },
    };
    for (size_t k = 0; k < sizeof defs / sizeof defs[0]; k++)
        if (strstr(used, defs[k].sym))
            line(a, "  with $%s = %s$ on this schedule", defs[k].def, qty(a, 3, defs[k].q));
}

/* The time of an end in the caller's convention: 0 or 1, and its schedule point. */
static fms_status end_point(const fms_exset *set, int one, fms_schedule_point *pt, fms_error *err)
{
    return fms_schedule_eval(&set->schedule, set->convention, one ? 1.0L : 0.0L, one ? 0.0L : 1.0L, pt, err);
}

/* A point to show limits at: the first point exercise's x_t, or the mean of the data. */
static double sample_x(const fms_exset *set)
{
    for (size_t i = 0; i < set->n; i++)
        if (set->ex[i].kind == FMS_EX_POINT)
            return set->ex[i].x_t;
    return fms_data_mean(set->data);
}

/* The limit argument at an end where from → to is undetermined. */
static fms_status singular_limit(pa *a, const fms_schedule_point *pt, fms_param from, fms_param to, fms_error *err)
{
    const fms_data *d = a->set->data;
    const char *sym = words[to].sym;
    double exact;
    fms_param_conversion cv;
    if (pt->sigma > 0.0L) {
        double x = sample_x(a->set);
        fms_status st = fms_affine_convert(d, pt, from, to, x, 0.0L, &cv, &exact, err);
        if (st != FMS_OK)
            return st;
        if (pt->alpha == 0.0L && to == FMS_PARAM_X1)
            line(a, "  The formula is 0/0 there, but the exact model has a limit: at $α = 0$, $x_t = σ·ε$ carries no "
                    "information about x1, so the posterior is the prior and $x1 = E[x1] = %s$.",
                 n(a, fms_data_mean(d)));
        else if (pt->alpha == 0.0L)
            line(a, "  The formula is 0/0 there, but the exact model has a limit: at $α = 0$, $x_t = σ·ε$ carries no "
                    "information about x1, so the posterior is the prior and $x1 = E[x1] = %s$; then "
                    "$%s = %s$ with $x1 = E[x1]$, which at $x_t = %s$ is $%s %s %s$.",
                 n(a, fms_data_mean(d)), sym, conv_formula(a, 0, FMS_PARAM_X1, to, 0, 1), n(a, x), sym, eq(exact),
                 n(a, exact));
        else
            line(a, "  The exact model's %s there, at $x_t = %s$: $%s %s %s$.", fms_param_title(to), n(a, x), sym,
                 eq(exact), n(a, exact));
        return FMS_OK;
    }
    fms_strbuf_printf(a->out, "  At $σ = 0$, $x_t = x1$ exactly, and the exact model's values are its limits "
                              "t → %s, finite at best where x_t is a data point:",
                      a->set->convention == FMS_DATA_AT_0 ? "0" : "1");
    for (size_t k = 0; k < d->n && k < 4; k++) {
        fms_status st = fms_affine_convert(d, pt, from, to, d->x_l[k], 0.0L, &cv, &exact, err);
        if (st != FMS_OK)
            return st;
        a->next = 0;
        fms_strbuf_printf(a->out, "%s at $x_t = %s$ (%s), $%s = %s$", k ? ";" : "", n(a, d->x[k]), d->labels[k], sym,
                          n(a, exact));
    }
    line(a, "%s", ". A sampler never evaluates the model there: its last step starts before.");
    return FMS_OK;
}

/* The singular points of from → to on the set's path: both ends, with their limits. */
static fms_status singular_points(pa *a, fms_param from, fms_param to, fms_error *err)
{
    int any = 0;
    for (int one = 0; one < 2; one++) {
        fms_schedule_point pt;
        fms_param_conversion cv;
        fms_status st = end_point(a->set, one, &pt, err);
        if (st == FMS_OK)
            st = fms_param_convert(from, to, &pt, sample_x(a->set), 0.0L, &cv, err);
        if (st != FMS_OK)
            return st;
        if (cv.determined)
            continue;
        any = 1;
        line(a, "Singular point: %s.", cv.reason);
        if ((st = singular_limit(a, &pt, from, to, err)) != FMS_OK)
            return st;
    }
    if (!any)
        line(a, "The conversion is determined at every t in [0, 1] on this schedule: no singular point.");
    return FMS_OK;
}

/* The derivation of from → to in steps, and the formula in t. */
static void derivation(pa *a, fms_param from, fms_param to, int model)
{
    const char *ps = model ? words[from].model : words[from].sym;
    line(a, "On this path $α_t = %s$, $σ_t = %s$, $α̇_t = %s$, $σ̇_t = %s$.", qty(a, 0, FMS_PATH_ALPHA),
         qty(a, 1, FMS_PATH_SIGMA), qty(a, 2, FMS_PATH_ALPHA_DOT), qty(a, 3, FMS_PATH_SIGMA_DOT));
    fms_strbuf used = { 0 };
    if (from != FMS_PARAM_X1) {
        line(a, "The %s is an affine function of the clean-sample estimate $x1 = E[x1 | x_t, t]$ (since "
                "$x_t = α·x1 + σ·ε$): $%s = %s$.", fms_param_title(from), ps,
             conv_formula(a, 0, FMS_PARAM_X1, from, 0, 1));
        line(a, "Solved for x1: $x1 = %s$.", conv_formula(a, 0, from, FMS_PARAM_X1, model, 1));
        fms_strbuf_puts(&used, a->f[0]);
    }
    if (to != FMS_PARAM_X1) {
        line(a, "The %s in terms of x1: $%s = %s$%s", fms_param_title(to), words[to].sym,
             conv_formula(a, 1, FMS_PARAM_X1, to, 0, 1), from == FMS_PARAM_X1 ? "." : "; substitute x1:");
        if (from != FMS_PARAM_X1)
            line(a, "  $%s = %s$", words[to].sym, conv_formula(a, 2, from, to, model, 1));
        fms_strbuf_puts(&used, a->f[1]);
        fms_strbuf_puts(&used, a->f[2]);
    }
    where_defs(a, fms_strbuf_str(&used));
    fms_strbuf_free(&used);
    line(a, "On this schedule " IMPLIES " $%s = %s$  (in x_t, t and the model's output %s)", words[to].sym,
         conv_formula(a, 0, from, to, model, 0), ps);
}

/* The exact from-model's output converted at each point exercise, against the exact to-model. */
static fms_status check_points(pa *a, fms_param from, fms_param to, fms_error *err)
{
    const fms_exset *set = a->set;
    int any = 0;
    for (size_t i = 0; i < set->n; i++) {
        if (set->ex[i].kind != FMS_EX_POINT)
            continue;
        point q = { 0 };
        fms_param_conversion cv;
        fms_status st = eval_point(set, &set->ex[i], &q, err);
        const double y = q.res.value[from], want = q.res.value[to];
        if (st == FMS_OK && isfinite(y))
            st = fms_param_convert(from, to, &q.pt, q.x->x_t_l, y, &cv, err);
        if (st == FMS_OK && isfinite(y)) {
            if (!any)
                line(a, "Check at this sheet's points (the exact %s converted, against the exact %s):",
                     fms_param_title(from), fms_param_title(to));
            any = 1;
            const int ok = cv.determined && fabs(cv.value - want) <= 1e-9 * (fabs(want) + fabs(cv.scale * y) + fabs(cv.offset) + 1e-300);
            if (cv.determined) {
                line(a, "  %s ($x_t = %s$, $t = %s$): $%s = %s$ " IMPLIES " $%s %s %s$; the exact model: $%s %s %s$  %s",
                     q.x->id, n(a, q.x->x_t), n(a, q.x->t), words[from].sym, n(a, y), words[to].sym, eq(cv.value),
                     n(a, cv.value), words[to].sym, eq(want), n(a, want), ok ? "\xE2\x9C\x93" : "\xE2\x9C\x97");
                if (cv.value != want)
                    line(a, "    (they differ by $%s$: the %s is rounded to a double before the conversion)",
                         n(a, fabs(cv.value - want)), fms_param_title(from));
            } else {
                line(a, "  %s ($x_t = %s$, $t = %s$): undetermined here; the exact model gives the limit $%s %s %s$",
                     q.x->id, n(a, q.x->x_t), n(a, q.x->t), words[to].sym, eq(want), n(a, want));
            }
        }
        point_free(&q);
        if (st != FMS_OK)
            return st;
    }
    return FMS_OK;
}

static fms_status answer_convert(const fms_exset *set, size_t ex, fms_strbuf *lines, fms_error *err)
{
    pa a = { .set = set, .out = lines };
    const fms_exercise *x = &set->ex[ex];
    derivation(&a, x->from, x->to, 0);
    fms_status st = singular_points(&a, x->from, x->to, err);
    if (st == FMS_OK)
        st = check_points(&a, x->from, x->to, err);
    return st == FMS_OK ? nomem(lines, err) : st;
}

/* ---- euler -------------------------------------------------------------- */

/* The exact model's velocity at (x, t) reached from a P-model's exact output, or its limit. */
static fms_status velocity_at(const fms_exset *set, fms_param p, long double t, long double omt, long double x,
                              double *formula, double *exact, fms_error *err)
{
    fms_schedule_point pt;
    fms_affine_result res;
    fms_param_conversion cv;
    fms_status st = fms_schedule_eval(&set->schedule, set->convention, t, omt, &pt, err);
    if (st == FMS_OK)
        st = fms_affine_eval(set->data, &pt, x, NULL, &res, err);
    if (st != FMS_OK)
        return st;
    if (isfinite(res.value[p]))
        st = fms_param_convert(p, FMS_PARAM_VELOCITY, &pt, x, res.value[p], &cv, err);
    else
        cv.determined = 0;
    *formula = cv.determined ? cv.value : NAN;
    *exact = res.value[FMS_PARAM_VELOCITY];
    return st;
}

/* The start of the sampler: where it stands, and what the formula does there. */
static fms_status euler_start(pa *a, fms_param p, fms_error *err)
{
    const fms_exset *set = a->set;
    const int at0 = set->convention == FMS_DATA_AT_0;
    const double x0 = sample_x(set);
    double f, v;
    fms_status st = velocity_at(set, p, at0 ? 1.0L : 0.0L, at0 ? 0.0L : 1.0L, x0, &f, &v, err);
    if (st != FMS_OK)
        return st;
    const char *t0 = at0 ? "1" : "0";
    if (!isfinite(v)) {
        line(a, "At the start, $t = %s$, the velocity itself is not finite on this schedule (a rate is infinite): a "
                "sampler must start at a time just after it.", t0);
        return FMS_OK;
    }
    if (!isnan(f)) {
        line(a, "At the start, $t = %s$, the conversion is determined: the first step needs no special care "
                "($u(%s, %s) = %s$ for the exact model).", t0, n(a, x0), t0, n(a, v));
        return FMS_OK;
    }
    line(a, "At the start, $t = %s$, the formula is 0/0: there $α = 0$ (or the model's output does not depend on "
            "x1), so a perfect model's output carries no information about x1. The limit is the exact velocity: the "
            "posterior is the prior, $x1 = E[x1] = %s$, and $u(x, %s) = α̇·E[x1] + σ̇·x/σ$, which at $x = %s$ is "
            "$%s$. So a sampler either starts just after $t = %s$, or takes its first step with that limit.",
         t0, n(a, fms_data_mean(set->data)), t0, n(a, x0), n(a, v), t0);
    static const double small[] = { 1e-2, 1e-4, 1e-6 };
    fms_strbuf_printf(a->out, "  The limit, watched at $x = %s$ with the exact %s:", n(a, x0), fms_param_title(p));
    for (int i = 0; i < 3; i++) {
        const long double d = small[i];
        if ((st = velocity_at(set, p, at0 ? 1.0L - d : d, at0 ? d : 1.0L - d, x0, &f, &v, err)) != FMS_OK)
            return st;
        a->next = 0;
        fms_strbuf_printf(a->out, " $%s$ at $t = %s%s$%s", n(a, f), at0 ? "1 " MINUS " " : "", n(a, small[i]),
                          i < 2 ? "," : "");
    }
    double lim;
    if ((st = velocity_at(set, p, at0 ? 1.0L : 0.0L, at0 ? 0.0L : 1.0L, x0, &f, &lim, err)) != FMS_OK)
        return st;
    line(a, " → $%s$.", n(a, lim));
    return FMS_OK;
}

/* One step from each point exercise with the exact P-model. */
static fms_status euler_steps(pa *a, fms_param p, fms_error *err)
{
    const fms_exset *set = a->set;
    const int at0 = set->convention == FMS_DATA_AT_0;
    int any = 0;
    for (size_t i = 0; i < set->n; i++) {
        const fms_exercise *y = &set->ex[i];
        if (y->kind != FMS_EX_POINT)
            continue;
        double f, v;
        fms_status st = velocity_at(set, p, y->t_l, y->one_minus_t_l, y->x_t_l, &f, &v, err);
        if (st != FMS_OK)
            return st;
        const double left = at0 ? y->t : 1.0 - y->t, dt = (at0 ? -1 : 1) * (left < 0.1 ? left : 0.1);
        if (dt == 0.0 || !isfinite(v))
            continue;
        if (!any)
            line(a, "One step from each of this sheet's points, with the exact %s and $Δt = %s0.1$ (or what is "
                    "left to the data):", fms_param_title(p), at0 ? MINUS : "");
        any = 1;
        const double u = isnan(f) ? v : f, next = y->x_t + dt * u;
        line(a, "  %s: $u %s %s$%s  " IMPLIES "  $x_{%s} = %s + %s·%s %s %s$", y->id, eq(u), n(a, u),
             isnan(f) ? " (the limit: the formula is 0/0 here)" : "", n(a, y->t + dt), n(a, y->x_t), np(a, dt),
             np(a, u), eq(next), n(a, next));
    }
    return FMS_OK;
}

static fms_status answer_euler(const fms_exset *set, size_t ex, fms_strbuf *lines, fms_error *err)
{
    pa a = { .set = set, .out = lines };
    const fms_param p = set->ex[ex].model;
    const int at0 = set->convention == FMS_DATA_AT_0;
    char step[FMS_PATHEXPR_MAX];
    if (fms_pathexpr_euler(&set->schedule, set->convention, p, FMS_PATHEXPR_UTF8, step) != FMS_OK)
        snprintf(step, sizeof step, "?");
    line(&a, "The sampler's step is $x_{t+Δt} = x_t + Δt·u_θ(x_t, t)$%s. The model outputs the %s, so convert "
             "it to the velocity first:", at0 ? ", from t = 1 (noise) down to t = 0 (data), so Δt < 0" : "",
         fms_param_title(p));
    if (p != FMS_PARAM_VELOCITY)
        derivation(&a, p, FMS_PARAM_VELOCITY, 1);
    line(&a, IMPLIES " $x_{t+Δt} = %s$", step);
    fms_status st = euler_start(&a, p, err);
    if (st == FMS_OK)
        st = euler_steps(&a, p, err);
    return st == FMS_OK ? nomem(lines, err) : st;
}

/* ---- into the document ---------------------------------------------------- */

/* UTF-8 spellings of a step's formulas and their TeX (KaTeX and pandoc alike). */
static const struct { const char *utf8, *tex; } tex_map[] = {
    { "\xCE\xB1\xCC\x87", "\\dot\\alpha " }, { "\xCF\x83\xCC\x87", "\\dot\\sigma " },
    { "\xCE\xB1", "\\alpha " }, { "\xCF\x83", "\\sigma " }, { "\xCE\xB5", "\\varepsilon " },
    { "\xCE\xB8", "\\theta " }, { "\xCF\x80", "\\pi " }, { "\xCF\x81", "\\rho " }, { "\xCF\x86", "\\varphi " },
    { "\xE2\x88\x87", "\\nabla " }, { "\xCE\xA3", "\\sum " }, { "\xCE\x94", "\\Delta " },
    { "\xE2\x88\x9A", "\\surd " }, { "\xC2\xB7", "\\cdot " }, { MINUS, "-" }, { APPROX, "\\approx " },
    { "\xE2\x86\x92", "\\to " }, { IMPLIES, "\\Rightarrow " }, { "\xC2\xB2", "^2" }, { "\xE2\x88\x9E", "\\infty " },
    { "\xE2\x80\x96", "\\|" }, { "|", "\\mid " }, { "~", "\\sim " }, { "E[", "\\mathbb{E}[" },
    { "\xE2\x88\x9D", "\\propto " }, { "\xE2\x89\xA4", "\\le " }, { "\xE2\x89\xA5", "\\ge " },
    { "exp", "\\exp " }, { "log", "\\log " }, { "ln", "\\ln " }, { "sin", "\\sin " }, { "cos", "\\cos " },
};

static int is_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static void to_tex(const char *s, size_t n, fms_strbuf *out);

/* An exponent after '^' of more than one character gets braces: 10^-20 → 10^{-20}.
 * Returns how many bytes it took from s + i (0: not such an exponent). */
static size_t tex_exponent(const char *s, size_t n, size_t i, fms_strbuf *out)
{
    size_t j = i + 1;
    if (j < n && s[j] == '-')
        j++;
    else if (j + 2 < n && memcmp(s + j, MINUS, 3) == 0)
        j += 3;
    size_t digits = j;
    while (j < n && ((s[j] >= '0' && s[j] <= '9') || s[j] == '.'))
        j++;
    if (j == digits)
        return 0;
    fms_strbuf_puts(out, "^{");
    to_tex(s + i + 1, j - i - 1, out);
    fms_strbuf_puts(out, "}");
    return j - i;
}

/* The TeX of one formula written in UTF-8. */
static void to_tex(const char *s, size_t n, fms_strbuf *out)
{
    for (size_t i = 0; i < n;) {
        const int after_letter = i > 0 && is_letter(s[i - 1]);
        size_t k = 0, m = 0;
        for (; k < sizeof tex_map / sizeof tex_map[0]; k++) {
            m = strlen(tex_map[k].utf8);
            if (m <= n - i && memcmp(s + i, tex_map[k].utf8, m) == 0 && !(is_letter(s[i]) && after_letter))
                break;
        }
        if (k < sizeof tex_map / sizeof tex_map[0]) {
            fms_strbuf_puts(out, tex_map[k].tex);
            i += m;
        } else if (s[i] == 'x' && !after_letter && i + 1 < n && s[i + 1] == '1' && !(i + 2 < n && s[i + 2] >= '0' && s[i + 2] <= '9')) {
            /* x1 is x_1; x1_A and x1_θ one subscript x_{1,A}, x_{1,θ}. */
            size_t j = i + 2;
            if (j + 1 < n && s[j] == '_') {
                size_t k = j + 1;
                if (n - k >= 2 && memcmp(s + k, "\xCE\xB8", 2) == 0)
                    k += 2;
                else
                    while (k < n && (is_letter(s[k]) || (s[k] >= '0' && s[k] <= '9')))
                        k++;
                fms_strbuf_puts(out, "x_{1,");
                to_tex(s + j + 1, k - j - 1, out);
                fms_strbuf_puts(out, "}");
                i = k;
            } else {
                fms_strbuf_puts(out, "x_1");
                i = j;
            }
        } else if (s[i] == '^' && (m = tex_exponent(s, n, i, out)) > 0) {
            i += m;
        } else {
            fms_strbuf_putn(out, s + i, 1);
            i++;
        }
    }
}

/* A formula as a document node: a symbol that carries its text and its TeX. */
static fms_math *formula_node(fms_doc *d, const char *s, size_t n)
{
    fms_math *m = fms_math_pool_alloc(&d->pool, sizeof *m);
    char *text = fms_math_pool_alloc(&d->pool, n + 1);
    fms_strbuf tex = { 0 };
    to_tex(s, n, &tex);
    while (tex.len > 0 && tex.data[tex.len - 1] == ' ') /* pandoc reads no space before the closing $ */
        tex.data[--tex.len] = '\0';
    const char *t = fms_strbuf_status(&tex) == FMS_OK ? fms_doc_strdup(d, fms_strbuf_str(&tex)) : NULL;
    fms_strbuf_free(&tex);
    if (m == NULL || text == NULL || t == NULL)
        return NULL;
    memcpy(text, s, n);
    m->kind = FMS_M_SYM;
    m->text = text;
    m->tex = t;
    return m;
}

/* The length of the symbol at s (a non-ASCII entry of tex_map, with a
 * combining dot), or 0: such a symbol in prose is written as a formula. */
static size_t prose_symbol(const char *s, size_t n)
{
    if ((unsigned char)s[0] < 0x80)
        return 0;
    for (size_t k = 0; k < sizeof tex_map / sizeof tex_map[0]; k++) {
        size_t m = strlen(tex_map[k].utf8);
        if ((unsigned char)tex_map[k].utf8[0] >= 0x80 && m <= n && memcmp(s, tex_map[k].utf8, m) == 0)
            return m;
    }
    return 0;
}

/* Appends prose to block b, its Greek letters and math signs as formulas. */
static void append_prose(fms_doc *d, fms_block *b, const char *s, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i <= n;) {
        size_t m = i < n ? prose_symbol(s + i, n - i) : 0;
        if (i < n && m == 0) {
            i++;
            continue;
        }
        if (i > start) {
            char *text = fms_math_pool_alloc(&d->pool, i - start + 1);
            if (text)
                memcpy(text, s + start, i - start);
            fms_doc_append(d, b, "%s", text ? text : "");
        }
        if (i == n)
            break;
        fms_math *f = formula_node(d, s + i, m);
        if (f)
            fms_doc_append(d, b, "$%m$", f);
        i += m;
        start = i;
    }
}

/* Appends the steps in lines (see the header) to part p of d. */
static void steps_to_doc(fms_doc *d, fms_doc_part *p, const char *lines)
{
    for (const char *l = lines; *l;) {
        size_t n = strcspn(l, "\n"), lead = 0;
        while (lead < n && l[lead] == ' ')
            lead++;
        const char *s = l + lead, *end = l + n;
        const int result = strncmp(s, IMPLIES, strlen(IMPLIES)) == 0;
        fms_block *b = n > lead ? fms_doc_add(d, p, result ? FMS_BLOCK_RESULT : FMS_BLOCK_STEP, lead > 0, "%s", "")
                                : NULL;
        while (b && s < end) {
            const char *dollar = memchr(s, '$', (size_t)(end - s));
            const char *stop = dollar ? dollar : end;
            if (stop > s)
                append_prose(d, b, s, (size_t)(stop - s));
            if (dollar == NULL)
                break;
            const char *close = memchr(dollar + 1, '$', (size_t)(end - dollar - 1));
            if (close == NULL)
                close = end;
            fms_math *m = formula_node(d, dollar + 1, (size_t)(close - dollar - 1));
            if (m)
                fms_doc_append(d, b, "$%m$", m);
            s = close < end ? close + 1 : end;
        }
        l += n + (l[n] == '\n');
    }
}

typedef fms_status (*answer_fn)(const fms_exset *set, size_t ex, fms_strbuf *lines, fms_error *err);

/* One part of the document from the steps an answer function writes. */
static fms_status build_part(fms_doc *d, const char *id, const char *kind, int letter, int key_part,
                             const char *question, fms_strbuf *lines)
{
    fms_doc_part *p = fms_doc_part_new(d, id, kind, letter, key_part, question);
    steps_to_doc(d, p, fms_strbuf_str(lines));
    fms_strbuf_reset(lines);
    return FMS_OK;
}

fms_status fms_pathanswer_build(const fms_exset *set, size_t ex, int part, fms_doc *d, fms_error *err)
{
    const fms_exercise *x = &set->ex[ex];
    fms_strbuf lines = { 0 };
    fms_status st = FMS_OK;
    if (x->kind == FMS_EX_POINT) {
        for (size_t p = 0; st == FMS_OK && p < x->nparts; p++) {
            if (part >= 0 && (size_t)part != p)
                continue;
            char id[48], q[256];
            snprintf(id, sizeof id, "%s%c", x->id, (char)('a' + p));
            st = answer_part(set, ex, p, &lines, err);
            if (st == FMS_OK)
                st = build_part(d, id, fms_exset_part_kind_name(x->parts[p].kind), 'a' + (int)p, (int)p,
                                x->parts[p].question ? x->parts[p].question : part_question(set, x, p, q, sizeof q),
                                &lines);
        }
    } else {
        answer_fn fn = x->kind == FMS_EX_COMPARE ? answer_compare : x->kind == FMS_EX_EULER ? answer_euler : answer_convert;
        st = fn(set, ex, &lines, err);
        if (st == FMS_OK)
            st = build_part(d, x->id, fms_exset_kind_name(x->kind), 0, -1, NULL, &lines);
    }
    if (st == FMS_OK && fms_strbuf_status(&lines) != FMS_OK)
        st = fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    fms_strbuf_free(&lines);
    return st;
}

void fms_pathanswer_header(const fms_exset *set, fms_doc *d, fms_doc_part *p)
{
    fms_strbuf lines = { 0 };
    path_line(set, &lines);
    steps_to_doc(d, p, fms_strbuf_str(&lines));
    fms_strbuf_free(&lines);
}

const char *fms_pathanswer_heading(const fms_exercise *x, char *buf, size_t cap)
{
    if (x->kind == FMS_EX_CONVERT)
        snprintf(buf, cap, "Convert a model's %s into the %s.", fms_param_title(x->from), fms_param_title(x->to));
    else
        snprintf(buf, cap, "Rewrite the Euler step with a model that outputs the %s.", fms_param_title(x->model));
    return buf;
}
