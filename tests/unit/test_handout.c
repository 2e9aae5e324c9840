/* test_handout.c — handouts in Markdown and LaTeX (handout.h). */
#include <stdlib.h>
#include <string.h>

#include "fmsolve.h"
#include "testutil.h"

static char *handout(fms_handout_format fmt, int with_answers, const char *who)
{
    fms_exset *set = NULL;
    fms_key *key = NULL;
    ck_assert_int_eq(fms_exset_load_builtin(&set, NULL), FMS_OK);
    ck_assert_int_eq(fms_key_build(set, &key, NULL), FMS_OK);
    fms_strbuf b = { 0 };
    fms_error err;
    fms_error_clear(&err);
    ck_assert_msg(fms_handout_render(set, key, fmt, with_answers, who, &b, &err) == FMS_OK, "%s", err.msg);
    char *s = fms_strbuf_dup(fms_strbuf_str(&b));
    fms_strbuf_free(&b);
    fms_key_free(key);
    fms_exset_free(set);
    return s;
}

START_TEST(questions_only)
{
    char *md = handout(FMS_HANDOUT_MARKDOWN, 0, "ada");
    ck_assert_int_eq(strncmp(md, "# Flow Matching II (Discussion 11)\n\nVariant for: ada\n\nData: A = 0.5 (p = 0.5)", 74), 0);
    ck_assert_ptr_nonnull(strstr(md, "## 1.3\n\n> Consider the case where t = 0.9"));
    ck_assert_ptr_nonnull(strstr(md, "**(c)** How often does the training loop produce supervision toward A vs."));
    ck_assert_ptr_nonnull(strstr(md, "```\n1.1a.A =\n1.1a.B =\n"));
    ck_assert_ptr_nonnull(strstr(md, "2.2 =\n```\n"));
    /* No answer of the key: not 1.3's share of B, not its odds, not the 2.1 formula. */
    ck_assert_ptr_null(strstr(md, "2.86"));
    ck_assert_ptr_null(strstr(md, "e^45"));
    ck_assert_ptr_null(strstr(md, "(x_t - eps)/t"));
    ck_assert_ptr_null(strstr(md, "⇒"));
    free(md);
    char *tex = handout(FMS_HANDOUT_LATEX, 0, "a_b&c");
    ck_assert_int_eq(strncmp(tex, "\\documentclass", 14), 0);
    ck_assert_ptr_nonnull(strstr(tex, "\\section*{Flow Matching II (Discussion 11)}"));
    ck_assert_ptr_nonnull(strstr(tex, "Variant for: a\\_b\\&c"));
    ck_assert_ptr_nonnull(strstr(tex, "\\paragraph{(a)} If x1 = A was sampled at L1, what \\ensuremath{\\varepsilon} was"));
    ck_assert_ptr_nonnull(strstr(tex, "\\begin{verbatim}\n1.1a.A =\n"));
    ck_assert_ptr_nonnull(strstr(tex, "\\end{document}\n"));
    ck_assert_ptr_null(strstr(tex, "2.86"));
    /* Only ASCII reaches pdflatex: every symbol of the worked answers is mapped. */
    for (const char *c = tex; *c; c++)
        ck_assert_msg((unsigned char)*c < 0x80, "non-ASCII at '%.20s'", c);
    /* Braces balance outside the verbatim block. */
    int depth = 0;
    const char *end = strstr(tex, "\\begin{verbatim}");
    for (const char *c = tex; c < end; c++)
        if ((*c == '{' || *c == '}') && (c == tex || c[-1] != '\\'))
            depth += *c == '{' ? 1 : -1;
    ck_assert_int_eq(depth, 0);
    free(tex);
}
END_TEST

START_TEST(with_answers)
{
    char *md = handout(FMS_HANDOUT_MARKDOWN, 1, "ada");
    ck_assert_ptr_nonnull(strstr(md, "# Flow Matching II (Discussion 11)\n\nVariant for: ada\n\nData: "));
    ck_assert_ptr_nonnull(strstr(md, "2.86252"));   /* the renderer's worked answers */
    ck_assert_ptr_null(strstr(md, "1.1a.A =\n")); /* no answer sheet */
    free(md);
    char *tex = handout(FMS_HANDOUT_LATEX, 1, NULL);
    ck_assert_ptr_null(strstr(tex, "Variant for"));
    ck_assert_ptr_nonnull(strstr(tex, "\\begin{itemize}\n  \\item From L4"));
    ck_assert_ptr_nonnull(strstr(tex, "2.86252\\ensuremath{\\cdot}10\\textasciicircum{}"));
    for (const char *c = tex; *c; c++)
        ck_assert_msg((unsigned char)*c < 0x80, "non-ASCII at '%.20s'", c);
    free(tex);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("handout");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, questions_only);
    tcase_add_test(tc, with_answers);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}
