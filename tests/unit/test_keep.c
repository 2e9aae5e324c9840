/* test_keep.c — the predicates a variant keeps (keep.h), on the built-in
 * sheet, whose posteriors are known in closed form: at 1.1 (t = 0) and 1.2
 * (x_t = 0 between symmetric points) the posterior is the prior; at 1.3 B's
 * share is e^-45/(1 + e^-45) ≈ 2.86e-20 and v ≈ −2.86e-19. */
#include <string.h>

#include "fmsolve.h"
#include "testutil.h"

/* Whether keep text holds at exercise id of the built-in sheet. */
static int holds(const char *text, const char *id)
{
    fms_exset *set = NULL;
    ck_assert_int_eq(fms_exset_load_builtin(&set, NULL), FMS_OK);
    fms_keep k;
    fms_error err;
    fms_error_clear(&err);
    ck_assert_msg(fms_keep_parse(text, &k, &err) == FMS_OK, "%s", err.msg);
    int h = -1;
    size_t failed = 99;
    ck_assert_int_eq(fms_keep_eval(&k, set->data, &set->ex[fms_exset_find(set, id)], &h, &failed, &err), FMS_OK);
    if (!h)
        ck_assert_uint_lt(failed, k.n);
    fms_exset_free(set);
    return h;
}

START_TEST(predicates_on_the_builtin_sheet)
{
    ck_assert(holds("t0, prior, mixed(0.5)", "1.1"));
    ck_assert(!holds("identifies(0.4)", "1.1"));
    ck_assert(holds("!t0, prior", "1.2"));
    ck_assert(!holds("t0", "1.2"));
    ck_assert(holds("identifies(1e-19), toward(A), !mixed(1e-19), !prior", "1.3"));
    ck_assert(!holds("identifies(2.8e-20)", "1.3")); /* 2.86e-20 is not below it */
    ck_assert(holds("identifies(2.9e-20)", "1.3"));
    ck_assert(!holds("toward(B)", "1.3"));
    ck_assert(holds("v_below(0), v_above(-3e-19)", "1.3"));
    ck_assert(!holds("v_above(-2.8e-19)", "1.3"));
    ck_assert(holds("v_below(-0.49), v_above(-0.51)", "1.1"));
    ck_assert(holds("!!t0", "1.1"));
}
END_TEST

START_TEST(parse_errors)
{
    static const char *const bad[] = { "", "t0,", "unknown", "identifies", "identifies()", "identifies(0)",
                                       "identifies(1)", "mixed(x)", "toward(1A)", "t0(3)", "v_below(inf)",
                                       "t0, t0, t0, t0, t0, t0, t0, t0, t0" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fms_keep k;
        fms_error err;
        fms_error_clear(&err);
        ck_assert_msg(fms_keep_parse(bad[i], &k, &err) == FMS_EINVAL, "'%s' parsed", bad[i]);
        ck_assert_int_eq(strncmp(err.msg, "keep: ", 6), 0);
    }
    /* toward() of a label that is not in the set, and keep on a formula exercise */
    fms_exset *set = NULL;
    ck_assert_int_eq(fms_exset_load_builtin(&set, NULL), FMS_OK);
    fms_keep k;
    int h;
    ck_assert_int_eq(fms_keep_parse("toward(C)", &k, NULL), FMS_OK);
    ck_assert_int_eq(fms_keep_eval(&k, set->data, &set->ex[0], &h, NULL, NULL), FMS_EINVAL);
    ck_assert_int_eq(fms_keep_eval(&k, set->data, &set->ex[fms_exset_find(set, "2.1")], &h, NULL, NULL), FMS_EINVAL);
    ck_assert_int_eq(h, 0);
    fms_exset_free(set);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("keep");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, predicates_on_the_builtin_sheet);
    tcase_add_test(tc, parse_errors);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}
