/* fuzz_sheet.c — libFuzzer entry point over the answer-sheet reader (with its
 * encodings: UTF-16, bytes that are not UTF-8), the grader and its table of
 * mistakes, the points, the three reports, the answer notation (chains, ≈,
 * left-hand sides, LaTeX, decimal commas, the digits as written) and the
 * expression reader (with data labels, and e read as ε).
 *
 * Built as a fuzzer only with clang and -Dfuzz=true (see fuzz/meson.build);
 * the default test suite links the same function into tests/fuzz_replay.c,
 * which feeds it every file of fuzz/corpus/ under gcc and the sanitizers.
 * Every report must be written, which also checks that the feedback is valid
 * UTF-8 whatever the sheet held (jansson refuses anything else).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fmsolve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The variables of both formula answers, so that every alias resolves. */
static const char all_vars[] = "x_t eps eps_theta t dt u";

static void evaluate(fms_expr *e)
{
    const double at[] = { 0.3, -1.2, 0.7, 0.4, 0.05, 1.5 };
    double v;
    int sign;
    double l;
    fms_expr_eval(e, at, &v);
    fms_expr_eval_log(e, &sign, &l);
    for (int i = 0; i < fms_expr_nvars(e); i++)
        (void)fms_expr_uses_var(e, i);
    (void)fms_expr_uses_e(e);
}

/* text as an expression in every mode the grader reads one. */
static void fuzz_expression(const char *text, const fms_data *d)
{
    const fms_expr_opts modes[] = {
        { all_vars, NULL, NULL }, { NULL, NULL, NULL }, { NULL, d, NULL }, { "x_t eps t", NULL, "eps" },
    };
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        fms_expr *e = NULL;
        if (fms_expr_parse_opts(text, &modes[i], &e, NULL) == FMS_OK)
            evaluate(e);
        fms_expr_free(e);
    }
}

/* text as an answer as written: the notation, then its value. */
static void fuzz_notation(const char *text, const fms_data *d)
{
    fms_notation n;
    fms_error err;
    fms_error_clear(&err);
    if (fms_notation_read(text, &n, &err) != FMS_OK)
        return;
    fms_decimal dec;
    (void)fms_notation_decimal(n.value, &dec);
    if (strlen(n.value) <= FMS_EXPR_MAX_LEN + 16)
        fuzz_expression(n.value, d);
    fms_notation_clear(&n);
}

/* text as the answer to one item of each kind, through the table of mistakes. */
static void fuzz_answer(const fms_key *key, const fms_data *d, const char *text)
{
    static const char *const ids[] = { "1.3c.A", "1.3d", "1.1d.x1", "2.2" };
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        fms_grade_item g = { 0 };
        if (fms_grade_answer_with(key, d, fms_key_find(key, ids[i]), text, &g, NULL) == FMS_ENOMEM)
            abort();
        fms_grade_item_clear(&g);
    }
}

static void fuzz_reports(const fms_exset *set, const fms_grade *g)
{
    static const fms_report_format formats[] = { FMS_REPORT_TEXT, FMS_REPORT_JSON, FMS_REPORT_GRADESCOPE };
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        fms_strbuf out = { 0 };
        if (fms_report_render(set, g, formats[i], &out, NULL) != FMS_OK)
            abort();
        fms_strbuf_free(&out);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Built once and kept: the key is the same for every input. */
    static fms_exset *set;
    static fms_key *key;
    if (set == NULL) {
        if (fms_exset_load_builtin(&set, NULL) != FMS_OK || fms_key_build(set, &key, NULL) != FMS_OK)
            abort();
    }
    fms_sheet *sheet = NULL;
    if (fms_sheet_parse((const char *)data, size, &sheet, NULL) == FMS_OK) {
        fms_grade *g = NULL;
        if (fms_grade_sheet(key, set->data, sheet, &g, NULL) == FMS_OK) {
            fms_grade_weigh(g, set);
            fuzz_reports(set, g);
        }
        fms_grade_free(g);
        fms_sheet_free(sheet);
    }
    /* The whole input as one answer, up to just past the notation's limit. */
    if (size <= FMS_NOTATION_MAX_LEN + 16) {
        char *text = malloc(size + 1);
        if (text == NULL)
            return 0;
        memcpy(text, data, size);
        text[size] = '\0';
        if (strlen(text) <= FMS_EXPR_MAX_LEN + 16)
            fuzz_expression(text, set->data);
        fuzz_notation(text, set->data);
        if (size <= 512)
            fuzz_answer(key, set->data, text);
        free(text);
    }
    return 0;
}
