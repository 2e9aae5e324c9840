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

#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
static fms_key_item *add(builder *b, size_t ex, int part, fms_item_kind kind, const char *fmt, ...)
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
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(it->id, sizeof it->id, fmt, ap);
    va_end(ap);
    it->exercise = ex;
    it->part = part;
    it->kind = kind;
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

/* The engine's doubles and the bounded values at a point exercise. */
static fms_status eval_point(builder *b, const fms_data *d, const fms_exercise *x, fms_posterior *post,
                             fms_exact_posterior *exact)
{
    fms_status st = fms_exset_eval(d, x, b->comp, post, b->err);
    if (st != FMS_OK)
        return st;
    return fms_exact_eval(d, x->t_l, x->one_minus_t_l, x->x_t_l, b->exact, exact, b->err);
}

static fms_status build_point(builder *b, const fms_exset *set, size_t i, double scale)
{
    const fms_exercise *x = &set->ex[i];
    const fms_data *d = set->data;
    const fms_component *comp = b->comp;
    const fms_exact_component *exact = b->exact;
    fms_posterior post;
    fms_exact_posterior epost;
    fms_status st = eval_point(b, d, x, &post, &epost);
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
            v = m - 1;
            set_number(v, post.velocity, &epost.velocity, scale);
            set_number(m, post.x1_mean, &epost.x1_mean, scale);
            continue;
        }
        for (size_t k = 0; k < d->n; k++) {
            fms_key_item *it = add(b, i, (int)p, kind == FMS_PART_SHARE ? FMS_ITEM_SHARE : FMS_ITEM_NUMBER,
                                   "%s%c.%s", x->id, letter, d->labels[k]);
            if (!it)
                return fms_error_set(b->err, FMS_ENOMEM, 0, "out of memory");
            if (kind == FMS_PART_EPS)
                set_number(it, comp[k].eps, &exact[k].eps, scale);
            else if (kind == FMS_PART_TARGET)
                set_number(it, comp[k].u, &exact[k].u, scale);
            else {
                it->scale = scale;
                set_share(it, &comp[k], &exact[k]);
            }
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
        fms_posterior post;
        fms_exact_posterior epost;
        fms_status st = eval_point(b, d, y, &post, &epost);
        if (st != FMS_OK)
            return st;
        fms_key_item *v = add(b, i, -1, FMS_ITEM_NUMBER, "%s.v(%s)", x->id, y->id);
        if (!v)
            return fms_error_set(b->err, FMS_ENOMEM, 0, "out of memory");
        set_number(v, post.velocity, &epost.velocity, scale);
        for (size_t k = 0; k < d->n; k++) {
            fms_key_item *it = add(b, i, -1, FMS_ITEM_SHARE, "%s.w(%s).%s", x->id, y->id, d->labels[k]);
            if (!it)
                return fms_error_set(b->err, FMS_ENOMEM, 0, "out of memory");
            set_share(it, &b->comp[k], &b->exact[k]);
        }
    }
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
        if (fms_numfmt_sci_digits(&item->sci, 15) == 0) {
            /* No digit of the mantissa is known (ℓ beyond about −10^17): write e^ℓ. */
            fms_numfmt_key_sci(&item->log_sci, 15, num);
            snprintf(out, FMS_KEY_VALUE_MAX, "exp(%s)", num);
            return;
        }
        fms_numfmt_key_sci(&item->sci, 15, num);
        break;
    case FMS_ITEM_FORMULA:
        snprintf(out, FMS_KEY_VALUE_MAX, "%s", item->formula);
        return;
    }
    snprintf(out, FMS_KEY_VALUE_MAX, "%s", num);
}

const fms_key_item *fms_key_find(const fms_key *key, const char *id)
{
    long i = fms_keyindex_find(key, id);
    return i < 0 ? NULL : &key->items[i];
}
