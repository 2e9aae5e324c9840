/* fuzz_sheet.c — libFuzzer entry point over the answer-sheet reader, the
 * grader and the expression reader.
 *
 * Built as a fuzzer only with clang and -Dfuzz=true (see fuzz/meson.build);
 * the default test suite links the same function into tests/fuzz_replay.c,
 * which feeds it every file of fuzz/corpus/ under gcc and the sanitizers.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fmsolve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The variables of both formula answers, so that every alias resolves. */
static const char all_vars[] = "x_t eps eps_theta t dt";

static void fuzz_expression(const char *text)
{
    fms_expr *e = NULL;
    if (fms_expr_parse(text, all_vars, &e, NULL) == FMS_OK) {
        const double at[] = { 0.3, -1.2, 0.7, 0.4, 0.05 };
        double v;
        fms_expr_eval(e, at, &v);
        int sign;
        double l;
        fms_expr_eval_log(e, &sign, &l);
    }
    fms_expr_free(e);
    if (fms_expr_parse(text, NULL, &e, NULL) == FMS_OK) {
        int sign;
        double l, v;
        fms_expr_eval(e, NULL, &v);
        fms_expr_eval_log(e, &sign, &l);
    }
    fms_expr_free(e);
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
            static const fms_report_format formats[] = { FMS_REPORT_TEXT, FMS_REPORT_JSON, FMS_REPORT_GRADESCOPE };
            for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
                fms_strbuf out = { 0 };
                /* JSON output must stay valid UTF-8 whatever the sheet held:
                 * jansson refuses invalid strings, which would show here as
                 * a failed render. */
                if (fms_report_render(set, g, formats[i], &out, NULL) != FMS_OK)
                    abort();
                fms_strbuf_free(&out);
            }
        }
        fms_grade_free(g);
        fms_sheet_free(sheet);
    }
    /* The whole input as one answer, up to just past the length limit. */
    if (size <= FMS_EXPR_MAX_LEN + 16) {
        char *text = malloc(size + 1);
        if (text == NULL)
            return 0;
        memcpy(text, data, size);
        text[size] = '\0';
        fuzz_expression(text);
        free(text);
    }
    return 0;
}
