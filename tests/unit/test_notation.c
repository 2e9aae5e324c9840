/* test_notation.c — answers as students write them (notation.h): chains,
 * LaTeX pasted from notes, decimal commas, closing full stops, the digits
 * of a number as written. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmsolve.h"
#include "testutil.h"

/* The value fms_notation_read makes of text (asserted readable). */
static void reads_as(const char *text, const char *want, unsigned rewritten)
{
    fms_notation n;
    fms_error err;
    fms_error_clear(&err);
    ck_assert_msg(fms_notation_read(text, &n, &err) == FMS_OK, "'%s': %s", text, err.msg);
    ck_assert_msg(strcmp(n.value, want) == 0, "'%s' read as '%s', expected '%s'", text, n.value, want);
    ck_assert_msg((n.rewritten & rewritten) == rewritten, "'%s': rewritten %u, expected %u", text, n.rewritten,
                  rewritten);
    /* What was read is an answer expr.h reads (or a ratio of them). */
    fms_notation_clear(&n);
}

static fms_status refused(const char *text, char *msg, size_t msgsz)
{
    fms_notation n;
    fms_error err;
    fms_error_clear(&err);
    fms_status st = fms_notation_read(text, &n, &err);
    ck_assert_ptr_null(n.value);
    snprintf(msg, msgsz, "%s", err.msg);
    return st;
}

START_TEST(plain_answers_pass_unchanged)
{
    reads_as("0.5", "0.5", 0);
    reads_as("e^-45", "e^-45", 0);
    reads_as("(x_t - eps)/t", "(x_t - eps)/t", 0);
    reads_as("eps_theta(x_t, t)", "eps_theta(x_t, t)", 0);
    reads_as("e^45 : 1", "e^45 : 1", 0);
    fms_notation n;
    ck_assert_int_eq(fms_notation_read("1/2", &n, NULL), FMS_OK);
    ck_assert_int_eq(n.rewritten, 0);
    ck_assert_int_eq(n.nvalues, 1);
    ck_assert_int_eq(n.approx, 0);
    fms_notation_clear(&n);
    fms_notation_clear(&n);   /* twice is fine */
}
END_TEST

START_TEST(chains_keep_the_last_value)
{
    /* The sheet writes "≈ 0": students copy it. */
    reads_as("\xe2\x89\x88 0", "0", 0);
    reads_as("~0", "0", 0);
    reads_as("\xe2\x88\xbc 0", "0", 0);
    reads_as("-2.86e-19 \xe2\x89\x88 0", "0", FMS_NOTATION_CHAIN);
    /* A written-out left-hand side, and the working before the answer. */
    reads_as("u = (x_t - eps)/t", "(x_t - eps)/t", FMS_NOTATION_CHAIN);
    reads_as("\xce\xb5_A = 0.5", "0.5", FMS_NOTATION_CHAIN);
    reads_as("x_{t+\\Delta t} = x_t + \\Delta t \\cdot u", "x_t + \xce\x94t \xc2\xb7 u",
             FMS_NOTATION_CHAIN | FMS_NOTATION_LATEX);
    reads_as("u = x1 - eps = (x_t - eps)/t", "(x_t - eps)/t", FMS_NOTATION_CHAIN);
    reads_as("A : B = e^45 : 1", "e^45 : 1", FMS_NOTATION_CHAIN);
    /* '=' inside parentheses does not split: p(x1 = A) is one thing. */
    reads_as("p(x1 = A | x_t) = 1", "1", FMS_NOTATION_CHAIN);
    fms_notation n;
    ck_assert_int_eq(fms_notation_read("-2.86e-19 \xe2\x89\x88 0", &n, NULL), FMS_OK);
    ck_assert_int_eq(n.nvalues, 2);
    ck_assert_int_eq(n.approx, 1);
    fms_notation_clear(&n);
    ck_assert_int_eq(fms_notation_read("a = b = c", &n, NULL), FMS_OK);
    ck_assert_int_eq(n.nvalues, 3);
    ck_assert_int_eq(n.approx, 0);
    fms_notation_clear(&n);
    char msg[FMS_ERROR_MSG_MAX];
    ck_assert_int_eq(refused("0.5 =", msg, sizeof msg), FMS_EINVAL);
    ck_assert_ptr_nonnull(strstr(msg, "nothing after"));
}
END_TEST

START_TEST(latex_from_notes)
{
    reads_as("\\frac{1}{2}", "((1)/(2))", FMS_NOTATION_LATEX);
    reads_as("\\dfrac12", "((1)/(2))", FMS_NOTATION_LATEX);
    reads_as("e^{-45}", "e^(-45)", FMS_NOTATION_LATEX);
    reads_as("$e^{-45}$", "e^(-45)", FMS_NOTATION_LATEX);
    reads_as("\\(0.5\\)", "0.5", FMS_NOTATION_LATEX);
    reads_as("\\varepsilon", "\xce\xb5", FMS_NOTATION_LATEX);
    reads_as("\\epsilon_\\theta(x_t, t)", "\xce\xb5_\xce\xb8(x_t, t)", FMS_NOTATION_LATEX);
    reads_as("\\epsilon_{\\theta}", "\xce\xb5_\xce\xb8", FMS_NOTATION_LATEX);
    reads_as("x_{t}", "x_t", FMS_NOTATION_LATEX);
    reads_as("\\Delta t", "\xce\x94t", FMS_NOTATION_LATEX);
    reads_as("\\epsilon t", "\xce\xb5 t", FMS_NOTATION_LATEX);   /* a product, not a name */
    reads_as("2.86 \\cdot 10^{-20}", "2.86 \xc2\xb7 10^(-20)", FMS_NOTATION_LATEX);
    reads_as("2.86\\times10^{-20}", "2.86\xc3\x97" "10^(-20)", FMS_NOTATION_LATEX);
    reads_as("\\frac{x_t - \\varepsilon}{t}", "((x_t - \xce\xb5)/(t))", FMS_NOTATION_LATEX);
    reads_as("\\exp\\left(-45\\right)", "exp(-45)", FMS_NOTATION_LATEX);
    reads_as("\\sqrt{2}", "sqrt(2)", FMS_NOTATION_LATEX);
    reads_as("\\mathrm{e}^{-45}", "e^(-45)", FMS_NOTATION_LATEX);
    reads_as("\\approx 0", "0", FMS_NOTATION_LATEX);
    reads_as("\\hat{x}_1 = A", "A", FMS_NOTATION_LATEX | FMS_NOTATION_CHAIN);
    reads_as("50\\%", "50%", FMS_NOTATION_LATEX);
    reads_as("x_t + \\Delta t\\,\\frac{x_t - \\epsilon_\\theta}{t}",
             "x_t + \xce\x94t ((x_t - \xce\xb5_\xce\xb8)/(t))", FMS_NOTATION_LATEX);
    char msg[FMS_ERROR_MSG_MAX];
    ck_assert_int_eq(refused("\\frac{1}{2", msg, sizeof msg), FMS_EINVAL);
    ck_assert_ptr_nonnull(strstr(msg, "never closed"));
    ck_assert_int_eq(refused("1}", msg, sizeof msg), FMS_EINVAL);
    ck_assert_int_eq(refused("\\frac{1}", msg, sizeof msg), FMS_EINVAL);
    ck_assert_ptr_nonnull(strstr(msg, "\\frac"));
    ck_assert_int_eq(refused("\\int_0^1 x", msg, sizeof msg), FMS_EINVAL);
    ck_assert_ptr_nonnull(strstr(msg, "\\int"));
    ck_assert_int_eq(refused("\\sqrt[3]{8}", msg, sizeof msg), FMS_EINVAL);
    ck_assert_int_eq(refused("\\", msg, sizeof msg), FMS_EINVAL);
    /* Deep braces are refused, not recursed into without end. */
    char deep[400];
    memset(deep, '{', 200);
    memset(deep + 200, '}', 199);
    deep[399] = '\0';
    ck_assert_int_eq(refused(deep, msg, sizeof msg), FMS_EINVAL);
}
END_TEST

START_TEST(number_habits)
{
    reads_as("-0,5", "-0.5", FMS_NOTATION_COMMA);
    reads_as("9,5", "9.5", FMS_NOTATION_COMMA);
    reads_as("0,125", "0.125", FMS_NOTATION_COMMA);     /* a leading 0: not thousands */
    reads_as("0,5 : 0,5", "0.5 : 0.5", FMS_NOTATION_COMMA);
    reads_as("eps_theta(x_t,t)", "eps_theta(x_t,t)", 0);  /* arguments, not a decimal comma */
    reads_as("0.5.", "0.5", FMS_NOTATION_STOP);
    reads_as("e^-45.", "e^-45", FMS_NOTATION_STOP);
    reads_as("(x_t - eps)/t.", "(x_t - eps)/t", FMS_NOTATION_STOP);
    reads_as("2.86x10^-20", "2.86\xc3\x97" "10^-20", FMS_NOTATION_TIMES);
    reads_as("2.86 X 10\xe2\x81\xbb\xc2\xb2\xe2\x81\xb0", "2.86 \xc3\x97 10\xe2\x81\xbb\xc2\xb2\xe2\x81\xb0",
             FMS_NOTATION_TIMES);
    reads_as("x10^2", "x10^2", 0);                        /* a name, not a number's x */
    char msg[FMS_ERROR_MSG_MAX];
    ck_assert_int_eq(refused("1,000", msg, sizeof msg), FMS_EDOM);
    ck_assert_ptr_nonnull(strstr(msg, "1000"));
    reads_as("1,2,3", "1,2,3", 0);                        /* a list: left to the reader to refuse */
}
END_TEST

START_TEST(digits_as_written)
{
    static const struct { const char *text; int neg, digits; long long last; } ok[] = {
        { "2.9e-20", 0, 2, -21 },         { "0.50", 0, 2, -2 },        { "100", 0, 3, 0 },
        { "-2.86e-19", 1, 3, -21 },       { "\xe2\x88\x92" "0.5", 1, 1, -1 }, { "0", 0, 0, 0 },
        { "2.9\xc3\x97" "10^-20", 0, 2, -21 }, { "2.9 \xc2\xb7 10^(-20)", 0, 2, -21 },
        { "2.9*10**-20", 0, 2, -21 },     { "2.9\xc2\xb7" "10\xe2\x81\xbb\xc2\xb2\xe2\x81\xb0", 0, 2, -21 },
        { ".5", 0, 1, -1 },               { "5.", 0, 1, 0 },           { "0.000120", 0, 3, -6 },
        { "2.9E+3", 0, 2, 2 },
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        fms_decimal d;
        ck_assert_msg(fms_notation_decimal(ok[i].text, &d), "'%s' is a number as written", ok[i].text);
        ck_assert_msg(d.neg == ok[i].neg && d.digits == ok[i].digits && d.last_e10 == ok[i].last,
                      "'%s': neg %d, digits %d, last 10^%lld", ok[i].text, d.neg, d.digits, d.last_e10);
    }
    static const char *const not_one[] = { "1/2", "e^-45", "2.9e", "2.9 10^-20", "A", "", "-", "1 + 1", "2.9 + 1",
                                           "2.9\xc3\x97" "10^", "2.9\xc3\x97" "3^2", "2.9\xc3\x97" "10^(-20" };
    for (size_t i = 0; i < sizeof not_one / sizeof not_one[0]; i++) {
        fms_decimal d;
        ck_assert_msg(!fms_notation_decimal(not_one[i], &d), "'%s' is not one number as written", not_one[i]);
        ck_assert_int_eq(d.digits, 0);   /* nothing left for the rounding rule to judge */
    }
}
END_TEST

START_TEST(hostile_text_stays_bounded)
{
    char msg[FMS_ERROR_MSG_MAX];
    char *s = malloc(FMS_NOTATION_MAX_LEN + 16);
    ck_assert_ptr_nonnull(s);
    memset(s, '1', FMS_NOTATION_MAX_LEN + 1);
    s[FMS_NOTATION_MAX_LEN + 1] = '\0';
    ck_assert_int_eq(refused(s, msg, sizeof msg), FMS_EINVAL);
    /* Many '=' and '\' still give one value, or one message in UTF-8. */
    memset(s, '=', 4000);
    strcpy(s + 4000, "0.5");
    reads_as(s, "0.5", 0);
    for (int i = 0; i < 1000; i++)
        memcpy(s + 4 * i, "\\,\xc3\xa9", 4);
    s[4000] = '\0';
    fms_notation n;
    ck_assert_int_eq(fms_notation_read(s, &n, NULL), FMS_OK);
    json_t *j = json_string(n.value);
    ck_assert_ptr_nonnull(j);
    json_decref(j);
    fms_notation_clear(&n);
    ck_assert_int_eq(refused("\\\xc3\xa9", msg, sizeof msg), FMS_EINVAL);
    j = json_string(msg);
    ck_assert_msg(j != NULL, "not UTF-8: %s", msg);
    json_decref(j);
    free(s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("notation");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, plain_answers_pass_unchanged);
    tcase_add_test(tc, chains_keep_the_last_value);
    tcase_add_test(tc, latex_from_notes);
    tcase_add_test(tc, number_habits);
    tcase_add_test(tc, digits_as_written);
    tcase_add_test(tc, hostile_text_stays_bounded);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}
