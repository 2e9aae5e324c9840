/* test_budget.c — the cost of a request, estimated before the work (model/budget.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmsolve.h"
#include "testutil.h"

/* The seed sheet: the estimate's items are the key's, exactly. */
START_TEST(seed_items_exact)
{
    fms_exset *set = NULL;
    ck_assert_int_eq(fms_exset_load_builtin(&set, NULL), FMS_OK);
    fms_key *key = NULL;
    ck_assert_int_eq(fms_key_build(set, &key, NULL), FMS_OK);
    for (int p = FMS_PRODUCT_KEY; p <= FMS_PRODUCT_CHECK_GRADESCOPE; p++) {
        fms_cost c;
        fms_budget_estimate(set, (fms_budget_product)p, NULL, NULL, 0, 0.0, &c);
        ck_assert_uint_eq((size_t)c.items, key->n);
        ck_assert(c.output > 0.0 && c.memory > c.output);
        ck_assert_int_eq(fms_budget_check(&c, NULL), FMS_OK);
    }
    fms_cost list;
    fms_budget_estimate(set, FMS_PRODUCT_LIST, NULL, NULL, 0, 0.0, &list);
    ck_assert(list.items == 0.0 && list.terms == 0.0);
    /* Engine terms: 2 points × (3 point exercises + 2 for the compare) for
     * the key, and 2.1 and 2.2 evaluate the 3 points once more each. */
    fms_cost one, all;
    size_t sel = 0;
    fms_budget_estimate(set, FMS_PRODUCT_ANSWERS_TEXT, &sel, NULL, 1, 0.0, &one);
    fms_budget_estimate(set, FMS_PRODUCT_ANSWERS_TEXT, NULL, NULL, 0, 0.0, &all);
    ck_assert(one.terms == 2.0 * 5.0);
    ck_assert(all.terms == 2.0 * (5.0 + 3.0 + 3.0));
    ck_assert(all.output > one.output);
    fms_key_free(key);
    fms_exset_free(set);
}
END_TEST

/* The amplifier: 2,000 points × 2,000 exercises × 26 share parts from a few
 * hundred KB.  Refused by the estimate, with the number asked and the limit. */
START_TEST(amplifier_refused)
{
    fms_strbuf t = { 0 };
    fms_strbuf_puts(&t, "[data]\n");
    for (int k = 0; k < 2000; k++)
        fms_strbuf_printf(&t, "L%d=%d\n", k, k % 7);
    for (int e = 0; e < 2000; e++) {
        fms_strbuf_printf(&t, "[%d]\nt=.5\nx_t=0\nparts=share", e + 1);
        for (int p = 1; p < 26; p++)
            fms_strbuf_puts(&t, ",share");
        fms_strbuf_puts(&t, "\n");
    }
    const char *text = fms_strbuf_str(&t);
    size_t n = t.len;
    ck_assert_uint_lt(n, 500000);
    fms_exset *set = NULL;
    fms_error err;
    fms_error_clear(&err);
    ck_assert_int_eq(fms_exset_load_string("amp.ini", text, n, &set, &err), FMS_OK);
    fms_cost c;
    fms_budget_estimate(set, FMS_PRODUCT_KEY, NULL, NULL, 0, 0.0, &c);
    ck_assert(c.items == 2000.0 * 2000.0 * 26.0);
    ck_assert_int_eq(fms_budget_check(&c, &err), FMS_ELIMIT);
    ck_assert_str_eq(err.msg, "the answer key would have 104000000 items; the limit is 500000 (see docs/limits.md)");
    fms_exset_free(set);
    fms_strbuf_free(&t);
}
END_TEST

/* Each budget is named when it alone is passed. */
START_TEST(each_budget_named)
{
    const struct {
        fms_cost c;
        const char *word;
    } cases[] = {
        { { FMS_BUDGET_ITEMS + 1, 0, 0, 0 }, "items" },
        { { 0, FMS_BUDGET_TERMS + 1, 0, 0 }, "engine terms" },
        { { 0, 0, FMS_BUDGET_OUTPUT_BYTES + 1, 0 }, "output" },
        { { 0, 0, 0, FMS_BUDGET_MEMORY_BYTES + 1 }, "memory" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fms_error err;
        fms_error_clear(&err);
        ck_assert_int_eq(fms_budget_check(&cases[i].c, &err), FMS_ELIMIT);
        ck_assert_msg(strstr(err.msg, cases[i].word) != NULL, "%s", err.msg);
        ck_assert_ptr_nonnull(strstr(err.msg, "docs/limits.md"));
    }
    fms_cost ok = { FMS_BUDGET_ITEMS, FMS_BUDGET_TERMS, FMS_BUDGET_OUTPUT_BYTES, FMS_BUDGET_MEMORY_BYTES };
    ck_assert_int_eq(fms_budget_check(&ok, NULL), FMS_OK);
    ck_assert_ptr_null(fms_budget_rate_of((fms_budget_product)99));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("budget");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, seed_items_exact);
    tcase_add_test(tc, amplifier_refused);
    tcase_add_test(tc, each_budget_named);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}
