/* key.c — see key.h. */
#include "model/key.h"

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/engine.h"
#include "model/exact.h"
#include "model/pathexpr.h"
#include "model/keyindex.h"
#include "base/numfmt.h"

/* The derivation of 2.1: x_t = (1 − t)ε + t·x1 gives x1 = (x_t − (1 − t)ε)/t,
 * so u = x1 − ε = (x_t − ε)/t.  Substituting into the Euler step gives 2.2.
 * These are algebra on the sheet's own definitions, not numbers. */
const char FMS_FORMULA_EPS_TO_VELOCITY[] = "(x_t - eps)/t";
const char FMS_FORMULA_EULER_EPS[] = "x_t + dt*(x_t - eps_theta)/t";

typedef struct builder {
    fms_key *key;
    size_t cap;
    fms_error *err;
    fms_component *comp;        /* scratch, one entry a data point */
    fms_exact_component *exact; /* scratch, the same with error bounds */
} builder;

/* A new zeroed item at the end of the key, or NULL when memory runs out. */
static fms_key_item *new_item(builder *b, size_t ex, int part, fms_item_kind kind)
{
    if (b->key->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 32;
        fms_key_item *it = realloc(b->key->items, cap * sizeof *it);
        if (it == NULL)
            return NULL;
        b->key->items = it;
        b->cap = cap;
    }
    fms_key_item *it = &b->key->items[b->key->n++];
    memset(it, 0, sizeof *it);
    it->exercise = ex;
    it->part = part;
    it->kind = kind;
    return it;
}

#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
static fms_key_item *add(builder *b, size_t ex, int part, fms_item_kind kind, const char *fmt, ...)
{
    fms_key_item *it = new_item(b, ex, part, kind);
    if (it == NULL)
        return NULL;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(it->id, sizeof it->id, fmt, ap);
    va_end(ap);
    return it;
}

/* add() for the id prefix + label, the one per data point (no printf: a
 * key may have 10^5 of them).  Cut to the id's size as add() would be. */
static fms_key_item *add_labelled(builder *b, size_t ex, int part, fms_item_kind kind, const char *prefix,
                                  size_t prefix_len, const char *label)
{
    fms_key_item *it = new_item(b, ex, part, kind);
    if (it == NULL)
        return NULL;
    size_t n = prefix_len < sizeof it->id - 1 ? prefix_len : sizeof it->id - 1;
    memcpy(it->id, prefix, n);
    size_t m = strlen(label);
    if (m > sizeof it->id - 1 - n)
        m = sizeof it->id - 1 - n;
    memcpy(it->id + n, label, m);
    it->id[n + m] = '\0';
    return it;
}

static void set_share(fms_key_item *it, const fms_component *c, const fms_exact_component *e)
{
    it->value = c->weight;
    it->log_value = c->log_weight;
    it->mant = c->weight_mant;
    it->e10 = c->weight_e10;
    it->sci = e->weight;
    it->log_sci = e->log_weight_sci;
}

static void set_number(fms_key_item *it, double value, const fms_sci *sci, double scale)
{
    it->value = value;
    it->sci = *sci;
    it->scale = scale;
}

/* A point exercise's answers: the seed's path and parameterization from the
 * engine with proven digits (exact.h); any other from the exact model on the
 * set's path (affine.h), in long double, with an error bound that is not a
 * proof but what the tests measure: 1e-12 relative per value (against
 * 60-digit mpmath, tests/scripts/verify_schedules.py and verify_pathcli.py),
 * plus 8 long-double ulps of the terms that cancel in a target, and a target
 * that comes out exactly 0 (x_t on the data point's path) taken as exact, as
 * exact.h takes differences of equal inputs. */
typedef struct point_answers {
    int path;                 /* 1: from affine.h (b->comp only; sci built here) */
    long double x_t;          /* the point's x_t */
    fms_schedule_point pt;    /* the schedule at the point (path) */
    fms_affine_result res;    /* the five outputs (path) */
    fms_posterior post;       /* the engine's doubles (seed) */
    fms_exact_posterior epost; /* and their bounds (seed) */
} point_answers;

#define PATH_REL 1e-12

/* A value of the exact model on a path with its absolute error bound. */
static fms_sci path_sci(double v, double abs_err)
{
    if (v == 0.0)
        return fms_numfmt_sci_from_ld(0.0L, 0.0);
    return fms_numfmt_sci_from_ld(v, PATH_REL + abs_err / fabs(v));
}

/* The error bound of each log-weight on a path, in b->exact[k].log_weight_err:
 * a_k = log p_k − ε_k²/2 loses |ε_k|·(|x_t| + |α·x_k|)/σ long-double ulps to
 * the cancellation in x_t − α·x_k, ℓ_k = a_k − logsumexp that of the pivot too. */
static void path_log_errors(builder *b, const fms_exset *set, const point_answers *pa)
{
    const fms_data *d = set->data;
    double pivot = 0.0, best = -INFINITY;
    for (size_t k = 0; k < d->n; k++) {
        const long double e = fabsl((long double)b->comp[k].eps);
        b->exact[k].log_weight_err = 16 * LDBL_EPSILON *
                                     (double)(e * (fabsl(pa->x_t) + fabsl(pa->pt.alpha * d->x_l[k])) / pa->pt.sigma +
                                              fabsl(d->log_prob_l[k]) + 1.0L);
        if (b->comp[k].log_score > best) {
            best = b->comp[k].log_score;
            pivot = b->exact[k].log_weight_err;
        }
    }
    /* ... and ℓ_k is a double: half an ulp of it. */
    for (size_t k = 0; k < d->n; k++)
        b->exact[k].log_weight_err += pivot + fabs(b->comp[k].log_weight) * DBL_EPSILON;
}

static fms_status eval_point(builder *b, const fms_exset *set, const fms_exercise *x, point_answers *pa)
{
    pa->path = !fms_exset_seed_path(set) || set->param != FMS_PARAM_VELOCITY;
    pa->x_t = x->x_t_l;
    if (pa->path) {
        fms_status st = fms_exset_eval_path(set, x, b->comp, &pa->res, &pa->pt, b->err);
        if (st == FMS_OK)
            path_log_errors(b, set, pa);
        return st;
    }
    fms_status st = fms_exset_eval(set->data, x, b->comp, &pa->post, b->err);
    if (st != FMS_OK)
        return st;
    return fms_exact_eval(set->data, x->t_l, x->one_minus_t_l, x->x_t_l, b->exact, &pa->epost, b->err);
}

/* The error bound of data point k's target t_k = c_x1·x_k + c_eps·ε_k: the
 * cancellation of its two terms (0 when it came out exactly 0). */
static double target_error(const fms_exset *set, const point_answers *pa, size_t k, const fms_component *c,
                           double target)
{
    long double c1, c2;
    fms_param_basis(set->param, &pa->pt, &c1, &c2);
    if (target == 0.0)
        return 0.0;
    return 8 * LDBL_EPSILON * (double)(fabsl(c1 * set->data->x_l[k]) + fabsl(c2 * (long double)c->eps));
}

/* The error bound of a posterior mean Σ w_k·c_k from its terms' (term_err[k]) and the weights'. */
static double mean_error(const builder *b, size_t n, const double *c, const double *term_err)
{
    double e = 0.0;
    for (size_t k = 0; k < n; k++)
        e += b->comp[k].weight * (fabs(c[k]) * (PATH_REL + expm1(b->exact[k].log_weight_err)) + term_err[k]);
    return e;
}

/* The limit (in the set's parameterization) and x̂1 with their bounds. */
static void set_limits(builder *b, const fms_exset *set, const point_answers *pa, fms_key_item *v, fms_key_item *m,
                       double scale)
{
    if (!pa->path) {
        set_number(v, pa->post.velocity, &pa->epost.velocity, scale);
        if (m)
            set_number(m, pa->post.x1_mean, &pa->epost.x1_mean, scale);
        return;
    }
    const size_t n = set->data->n;
    double *t = malloc(2 * n * sizeof *t), *err = t ? t + n : NULL;
    const double lim = pa->res.value[set->param], x1 = pa->res.value[FMS_PARAM_X1];
    for (size_t k = 0; t && k < n; k++) {
        t[k] = fms_exset_target(set, &pa->pt, k, &b->comp[k]);
        err[k] = target_error(set, pa, k, &b->comp[k], t[k]);
    }
    /* Without room for the terms, no digit is claimed. */
    fms_sci s = path_sci(lim, t ? mean_error(b, n, t, err) : INFINITY);
    set_number(v, lim, &s, scale);
    for (size_t k = 0; t && k < n; k++)
        err[k] = 0.0;
    if (m) {
        s = path_sci(x1, t ? mean_error(b, n, set->data->x, err) : INFINITY);
        set_number(m, x1, &s, scale);
    }
    free(t);
}

/* A share on a path, from its log-weight and that log's error bound. */
static void set_path_share(fms_key_item *it, const fms_component *c, double err)
{
    it->value = c->weight;
    it->log_value = c->log_weight;
    it->mant = c->weight_mant;
    it->e10 = c->weight_e10;
    it->sci = fms_numfmt_sci_from_log(c->log_weight, err, 1);
    it->log_sci = fms_numfmt_sci_from_ld(c->log_weight, err / (fabs(c->log_weight) + 1e-300));
}

/* Data point k's answer to a part of kind eps, target or share. */
static void set_component(builder *b, const fms_exset *set, const point_answers *pa, fms_part_kind kind, size_t k,
                          fms_key_item *it, double scale)
{
    const fms_component *c = &b->comp[k];
    if (!pa->path) {
        if (kind == FMS_PART_EPS)
            set_number(it, c->eps, &b->exact[k].eps, scale);
        else if (kind == FMS_PART_TARGET)
            set_number(it, c->u, &b->exact[k].u, scale);
        else {
            it->scale = scale;
            set_share(it, c, &b->exact[k]);
        }
        return;
    }
    it->scale = scale;
    if (kind == FMS_PART_SHARE) {
        set_path_share(it, c, b->exact[k].log_weight_err);
        return;
    }
    const long double x = set->data->x_l[k];
    const double v = kind == FMS_PART_EPS ? c->eps : fms_exset_target(set, &pa->pt, k, c);
    const double e = kind == FMS_PART_EPS
                         ? (v == 0.0 ? 0.0 : 8 * LDBL_EPSILON * (double)((fabsl(pa->x_t) + fabsl(pa->pt.alpha * x)) / pa->pt.sigma))
                         : target_error(set, pa, k, c, v);
    fms_sci s = path_sci(v, e);
    set_number(it, v, &s, scale);
}

static fms_status build_point(builder *b, const fms_exset *set, size_t i, double scale)
{
    const fms_exercise *x = &set->ex[i];
    const fms_data *d = set->data;
    point_answers pa;
    fms_status st = eval_point(b, set, x, &pa);
    if (st != FMS_OK)
        return st;
    for (size_t p = 0; p < x->nparts; p++) {
        char letter = (char)('a' + p);
        fms_part_kind kind = x->parts[p].kind;
        if (kind == FMS_PART_LIMIT) {
            fms_key_item *v = add(b, i, (int)p, FMS_ITEM_NUMBER, "%s%c", x->id, letter);
            fms_key_item *m = v ? add(b, i, (int)p, FMS_ITEM_NUMBER, "%s%c.x1", x->id, letter) : NULL;
            if (!m)
                return fms_error_set(b->err, FMS_ENOMEM, 0, "out of memory");
            set_limits(b, set, &pa, m - 1, m, scale);
            continue;
        }
        char prefix[FMS_KEY_ID_MAX];
        int np = snprintf(prefix, sizeof prefix, "%s%c.", x->id, letter);
        for (size_t k = 0; k < d->n; k++) {
            fms_key_item *it = add_labelled(b, i, (int)p, kind == FMS_PART_SHARE ? FMS_ITEM_SHARE : FMS_ITEM_NUMBER,
                                            prefix, np < 0 ? 0 : (size_t)np, d->labels[k]);
            if (!it)
                return fms_error_set(b->err, FMS_ENOMEM, 0, "out of memory");
            set_component(b, set, &pa, kind, k, it, scale);
        }
    }
    return FMS_OK;
}

static fms_status build_compare(builder *b, const fms_exset *set, size_t i, double scale)
{
    const fms_exercise *x = &set->ex[i];
    const fms_data *d = set->data;
    for (int side = 0; side < 2; side++) {
        const fms_exercise *y = &set->ex[x->compare[side]];
        point_answers pa;
        fms_status st = eval_point(b, set, y, &pa);
        if (st != FMS_OK)
            return st;
        fms_key_item *v = add(b, i, -1, FMS_ITEM_NUMBER, "%s.v(%s)", x->id, y->id);
        if (!v)
            return fms_error_set(b->err, FMS_ENOMEM, 0, "out of memory");
        set_limits(b, set, &pa, v, NULL, scale);
        for (size_t k = 0; k < d->n; k++) {
            fms_key_item *it = add(b, i, -1, FMS_ITEM_SHARE, "%s.w(%s).%s", x->id, y->id, d->labels[k]);
            if (!it)
                return fms_error_set(b->err, FMS_ENOMEM, 0, "out of memory");
            set_component(b, set, &pa, FMS_PART_SHARE, k, it, scale);
        }
    }
    return FMS_OK;
}

/* convert and euler: the formula written for the set's path, and its variables. */
static fms_status build_path_formula(builder *b, const fms_exset *set, size_t i)
{
    const fms_exercise *x = &set->ex[i];
    char f[FMS_PATHEXPR_MAX], vars[64];
    fms_status st;
    if (x->kind == FMS_EX_CONVERT) {
        st = fms_pathexpr_convert(&set->schedule, set->convention, x->from, x->to, 0, FMS_PATHEXPR_ASCII, f);
        snprintf(vars, sizeof vars, "x_t t %s", fms_pathexpr_var(x->from, 0));
    } else {
        st = fms_pathexpr_euler(&set->schedule, set->convention, x->model, FMS_PATHEXPR_ASCII, f);
        snprintf(vars, sizeof vars, "x_t %s t dt", fms_pathexpr_var(x->model, 1));
    }
    if (st != FMS_OK)
        return fms_error_set(b->err, st, 0, "cannot write the formula of exercise %s", x->id);
    size_t nf = strlen(f), nv = strlen(vars);
    fms_key_item *it = add(b, i, -1, FMS_ITEM_FORMULA, "%s", x->id);
    char *own = it ? malloc(nf + nv + 2) : NULL;
    if (own == NULL)
        return fms_error_set(b->err, FMS_ENOMEM, 0, "out of memory");
    memcpy(own, f, nf + 1);
    memcpy(own + nf + 1, vars, nv + 1);
    it->owned = own;
    it->formula = own;
    it->vars = own + nf + 1;
    return FMS_OK;
}

fms_status fms_key_build(const fms_exset *set, fms_key **out, fms_error *err)
{
    *out = NULL;
    builder b = { calloc(1, sizeof(fms_key)), 0, err, calloc(set->data->n, sizeof(fms_component)),
                  calloc(set->data->n, sizeof(fms_exact_component)) };
    fms_status st = FMS_OK;
    if (b.key == NULL || b.comp == NULL || b.exact == NULL)
        st = fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    /* Absolute tolerances and "points at" decisions are relative to the data's own scale. */
    double spread = fms_data_spread(set->data);
    double scale = spread > 0.0 ? spread : 1.0;
    for (size_t i = 0; st == FMS_OK && i < set->n; i++) {
        const fms_exercise *x = &set->ex[i];
        switch (x->kind) {
        case FMS_EX_POINT:
            st = build_point(&b, set, i, scale);
            break;
        case FMS_EX_COMPARE:
            st = build_compare(&b, set, i, scale);
            break;
        case FMS_EX_CONVERT:
        case FMS_EX_EULER:
            st = build_path_formula(&b, set, i);
            break;
        case FMS_EX_EPS_TO_VELOCITY:
        case FMS_EX_EULER_EPS: {
            fms_key_item *it = add(&b, i, -1, FMS_ITEM_FORMULA, "%s", x->id);
            if (!it) {
                st = fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
                break;
            }
            if (x->kind == FMS_EX_EPS_TO_VELOCITY) {
                it->formula = FMS_FORMULA_EPS_TO_VELOCITY;
                it->vars = "x_t eps t";
            } else {
                it->formula = FMS_FORMULA_EULER_EPS;
                it->vars = "x_t eps_theta t dt";
            }
            break;
        }
        }
    }
    free(b.comp);
    free(b.exact);
    if (st == FMS_OK)
        st = fms_keyindex_build(b.key, err);
    if (st != FMS_OK) {
        fms_key_free(b.key);
        return st;
    }
    *out = b.key;
    return FMS_OK;
}

void fms_key_free(fms_key *key)
{
    if (key == NULL)
        return;
    for (size_t i = 0; i < key->n; i++)
        free(key->items[i].owned);
    fms_keyindex_free(key);
    free(key->items);
    free(key);
}

void fms_key_item_value(const fms_key_item *item, char out[FMS_KEY_VALUE_MAX])
{
    char num[FMS_NUM_MAX];
    switch (item->kind) {
    case FMS_ITEM_NUMBER:
        fms_numfmt_key_sci(&item->sci, 15, num);
        break;
    case FMS_ITEM_SHARE:
        if (fms_numfmt_key_sci(&item->sci, 15, num) == 0) {
            /* No digit of the mantissa is known (ℓ beyond about −10^17): write e^ℓ. */
            fms_numfmt_key_sci(&item->log_sci, 15, num);
            snprintf(out, FMS_KEY_VALUE_MAX, "exp(%s)", num);
            return;
        }
        break;
    case FMS_ITEM_FORMULA:
        snprintf(out, FMS_KEY_VALUE_MAX, "%s", item->formula);
        return;
    }
    _Static_assert(FMS_NUM_MAX <= FMS_KEY_VALUE_MAX, "a number fits a key value");
    memcpy(out, num, strlen(num) + 1);
}

const fms_key_item *fms_key_find(const fms_key *key, const char *id)
{
    long i = fms_keyindex_find(key, id);
    return i < 0 ? NULL : &key->items[i];
}
