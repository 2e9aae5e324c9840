/* budget.c — see budget.h. */
#include "model/budget.h"

#include <stddef.h>
#include <string.h>

/* Bytes per key item written and held, measured on sets of 10^4 and 3·10^4
 * points (the slope of max RSS; bench/load_bench.py) and rounded up; the
 * worked answers hold a document tree per exercise (answers/doc.h).
 * docs/limits.md shows them. */
static const fms_budget_rate rates[] = {
    [FMS_PRODUCT_LIST] = { "list", 0, 0 },
    [FMS_PRODUCT_KEY] = { "key", 64, 0 },
    [FMS_PRODUCT_ANSWERS_TEXT] = { "answers-text", 128, 5200 },
    [FMS_PRODUCT_ANSWERS_JSON] = { "answers-json", 320, 5600 },
    [FMS_PRODUCT_CHECK_TEXT] = { "check-text", 128, 320 },
    [FMS_PRODUCT_CHECK_JSON] = { "check-json", 320, 400 },
    [FMS_PRODUCT_CHECK_GRADESCOPE] = { "check-gradescope", 448, 400 },
    [FMS_PRODUCT_POINTS] = { "train", 0, 0 },
};

const fms_budget_rate *fms_budget_rate_of(fms_budget_product p)
{
    return (size_t)p < sizeof rates / sizeof rates[0] ? &rates[p] : NULL;
}

/* Items of exercise x's key and the engine evaluations that compute them. */
static void key_of(const fms_exercise *x, double k, double *items, double *evals)
{
    switch (x->kind) {
    case FMS_EX_POINT:
        for (size_t p = 0; p < x->nparts; p++)
            *items += x->parts[p].kind == FMS_PART_LIMIT ? 2.0 : k;
        *evals += 1.0;
        break;
    case FMS_EX_COMPARE:
        *items += 2.0 * (k + 1.0);
        *evals += 2.0;
        break;
    case FMS_EX_EPS_TO_VELOCITY:
    case FMS_EX_EULER_EPS:
    case FMS_EX_CONVERT:
    case FMS_EX_EULER:
        *items += 1.0;
        break;
    }
}

/* The text of an exercise: its lead-in and questions. */
static double text_bytes(const fms_exercise *x)
{
    double n = x->text ? (double)strlen(x->text) : 0.0;
    for (size_t p = 0; p < FMS_MAX_PARTS; p++)
        n += x->parts[p].question ? (double)strlen(x->parts[p].question) : 0.0;
    return n;
}

/* What the worked answers of exercise x (or of its part `part`, when not
 * −1) add: its items, written and held (shown), its prose and text, and the
 * check lines of 2.1 and 2.2 and of convert and euler (one per point
 * exercise, each an evaluation). */
static void answer_of(const fms_exercise *x, int part, double k, double points, double *shown, double *output,
                      double *evals)
{
    double ignored = 0.0;
    if (part >= 0 && x->kind == FMS_EX_POINT && (size_t)part < x->nparts)
        *shown += x->parts[part].kind == FMS_PART_LIMIT ? 2.0 : k;
    else
        key_of(x, k, shown, &ignored);
    *output += FMS_BUDGET_EXERCISE_BYTES + 2.0 * text_bytes(x);
    if (x->kind == FMS_EX_EPS_TO_VELOCITY || x->kind == FMS_EX_EULER_EPS || x->kind == FMS_EX_CONVERT ||
        x->kind == FMS_EX_EULER) {
        *output += points * FMS_BUDGET_LINE_BYTES;
        *evals += points;
    }
}

void fms_budget_estimate(const fms_exset *set, fms_budget_product p, const size_t *sel, const int *parts,
                         size_t nsel, double input_bytes, fms_cost *out)
{
    const fms_budget_rate *r = fms_budget_rate_of(p);
    const double k = (double)set->data->n;
    double items = 0.0, shown = 0.0, evals = 0.0, points = 0.0, output = 0.0;
    for (size_t i = 0; i < set->n; i++)
        points += set->ex[i].kind == FMS_EX_POINT;
    if (p == FMS_PRODUCT_LIST)
        output = (double)set->n * FMS_BUDGET_LINE_BYTES;
    else if (p == FMS_PRODUCT_POINTS)
        evals = points;
    else
        for (size_t i = 0; i < set->n; i++)
            key_of(&set->ex[i], k, &items, &evals);
    if (p == FMS_PRODUCT_ANSWERS_TEXT || p == FMS_PRODUCT_ANSWERS_JSON) {
        for (size_t i = 0, n = sel ? nsel : set->n; i < n; i++)
            if ((sel ? sel[i] : i) < set->n)
                answer_of(&set->ex[sel ? sel[i] : i], sel && parts ? parts[i] : -1, k, points, &shown, &output,
                          &evals);
    } else {
        shown = items; /* key and check write every item */
    }
    const double per_item_out = r ? r->out_per_item : 0.0, per_item_mem = r ? r->mem_per_item : 0.0;
    output += shown * per_item_out;
    out->items = items;
    out->terms = evals * k;
    out->output = output;
    out->memory = items * FMS_BUDGET_KEY_ITEM_BYTES + shown * per_item_mem + 2.0 * output + input_bytes;
}

/* One budget: what it bounds, as a message names it:
 * "PHRASE VALUE UNIT; the limit is MAX UNIT (see docs/limits.md)". */
static const struct limit {
    size_t offset;       /* of the value in fms_cost */
    double max;
    const char *phrase;
    const char *unit;
} limits[] = {
    { offsetof(fms_cost, items), FMS_BUDGET_ITEMS, "the answer key would have", "items" },
    { offsetof(fms_cost, terms), FMS_BUDGET_TERMS, "the answers would take", "engine terms (data points times evaluations)" },
    { offsetof(fms_cost, output), FMS_BUDGET_OUTPUT_BYTES, "the output would be about", "bytes" },
    { offsetof(fms_cost, memory), FMS_BUDGET_MEMORY_BYTES, "the request would need about", "bytes of memory" },
};

fms_status fms_budget_check(const fms_cost *c, fms_error *err)
{
    for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
        const struct limit *l = &limits[i];
        double v = *(const double *)(const void *)((const char *)c + l->offset);
        if (v > l->max)
            return fms_error_set(err, FMS_ELIMIT, 0, "%s %.0f %s; the limit is %.0f (see docs/limits.md)", l->phrase, v,
                                 l->unit, l->max);
    }
    return FMS_OK;
}
