/* budget.h — what a request on an exercise set will cost, estimated from the
 * loaded set before the work starts, and the budgets that bound it.
 *
 * Like a decompressor's bomb check: a small file can ask for a large answer
 * key (2,000 points × 2,000 exercises × 26 share parts is 10^8 items from
 * 366 KB).  A caller estimates what it was asked for from the set alone,
 * before it allocates anything that scales with the request, and refuses
 * past a budget with one line that names the limit and the value asked.
 * The budgets and the per-item sizes below are the table of docs/limits.md.
 *
 * The estimate (fms_cost), for a product (what will be written) over a
 * selection of exercises, with K data points:
 *   items   the answer key's items, exactly (every product but LIST builds
 *           the whole key): per point exercise and part, K (eps, target,
 *           share) or 2 (limit); per compare exercise 2·(K + 1); per
 *           eps_to_velocity or euler_eps exercise 1.
 *   terms   engine terms (one data point at one (x_t, t)), K per
 *           evaluation: 1 per point exercise and 2 per compare exercise
 *           (the key); for worked answers also, per selected
 *           eps_to_velocity or euler_eps exercise, 1 per point exercise of
 *           the set (the check lines); for POINTS, 1 per point exercise.
 *   output  bytes written: the items shown (every item for KEY and CHECK_*,
 *           the selected exercises' for the worked answers) × the
 *           product's bytes per item (below); for worked answers also, per
 *           selected exercise, FMS_BUDGET_EXERCISE_BYTES + twice its text,
 *           and per check line (above) FMS_BUDGET_LINE_BYTES; for LIST, per
 *           exercise FMS_BUDGET_LINE_BYTES.
 *   memory  bytes: items × FMS_BUDGET_KEY_ITEM_BYTES + the items shown ×
 *           the product's memory per item + twice the output + the input
 *           read.
 * Items, output and memory are measured upper estimates of today's code
 * (bench/load_bench.py); terms are exact.
 */
#ifndef FMS_BUDGET_H
#define FMS_BUDGET_H

#include <stddef.h>

#include "model/exset.h"
#include "base/status.h"

/* The budgets. */
#define FMS_BUDGET_ITEMS 500000                    /* answer-key items */
#define FMS_BUDGET_TERMS 2000000                   /* engine terms for the key and the answers */
#define FMS_BUDGET_OUTPUT_BYTES (256.0 * 1048576)  /* bytes written on standard output */
#define FMS_BUDGET_MEMORY_BYTES (768.0 * 1048576)  /* memory of the request */
#define FMS_BUDGET_PLOT_TERMS 2e8                  /* engine terms of a heat map: pixels × data points */
#define FMS_BUDGET_PLOT_POINTS 1000                /* data points a figure draws (each a mark and a label) */

/* Sizes of the estimate (measured; see docs/limits.md). */
#define FMS_BUDGET_KEY_ITEM_BYTES 340    /* a key item (272 bytes) with its share of the indexes */
#define FMS_BUDGET_EXERCISE_BYTES 4096   /* the prose of a worked answer around its items */
#define FMS_BUDGET_LINE_BYTES 256        /* a line of `list`, or a check line of 2.1 and 2.2 */

typedef enum fms_budget_product {
    FMS_PRODUCT_LIST,             /* fmsolve list */
    FMS_PRODUCT_KEY,              /* fmsolve key */
    FMS_PRODUCT_ANSWERS_TEXT,     /* worked answers, text or Markdown */
    FMS_PRODUCT_ANSWERS_JSON,     /* worked answers, JSON */
    FMS_PRODUCT_CHECK_TEXT,       /* a graded sheet, text report */
    FMS_PRODUCT_CHECK_JSON,       /* a graded sheet, JSON report */
    FMS_PRODUCT_CHECK_GRADESCOPE, /* a graded sheet, Gradescope's JSON */
    FMS_PRODUCT_POINTS            /* every point exercise evaluated once (train's report) */
} fms_budget_product;

/* Bytes written and held per key item, by product (FMS_PRODUCT_*). */
typedef struct fms_budget_rate {
    const char *name;     /* as docs/limits.md names the product: "answers-json" */
    double out_per_item;
    double mem_per_item;  /* besides the key item itself */
} fms_budget_rate;

/* The rate of product p; NULL outside the enum. */
const fms_budget_rate *fms_budget_rate_of(fms_budget_product p);

typedef struct fms_cost {
    double items, terms, output, memory;
} fms_cost;

/* The cost of product p over exercises sel[0..nsel) of set (sel = NULL:
 * every exercise), of their parts parts[0..nsel) (−1: the whole exercise;
 * parts = NULL: every one whole), reading input_bytes besides the set (an
 * answer sheet).
 * Cannot fail (a double holds every count: at most 10^4 exercises × 26
 * parts × 10^5 points). */
void fms_budget_estimate(const fms_exset *set, fms_budget_product p, const size_t *sel, const int *parts,
                         size_t nsel, double input_bytes, fms_cost *out);

/* FMS_OK when c is within every budget; else FMS_ELIMIT with a message in
 * err naming the first budget passed, the value asked and the limit, e.g.
 * "the answer key would have 104000000 items; the limit is 500000
 * (docs/limits.md)". */
fms_status fms_budget_check(const fms_cost *c, fms_error *err);

#endif /* FMS_BUDGET_H */
