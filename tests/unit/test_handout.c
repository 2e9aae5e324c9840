/* test_handout.c — handouts in Markdown and LaTeX (handout.h): the worked
 * answers' own writers, questions only or with the answers. */
#include <stdlib.h>
#include <string.h>

#include "fmsolve.h"
#include "testutil.h"

typedef struct sheet {
    fms_exset *set;
    fms_key *key;
} sheet;

static sheet builtin(void)
{
    sheet s = { 0 };
    ck_assert_int_eq(fms_exset_load_builtin(&s.set, NULL), FMS_OK);
    ck_assert_int_eq(fms_key_build(s.set, &s.key, NULL), FMS_OK);
    return s;
}

static void sheet_free(sheet *s)
{
    fms_key_free(s->key);
    fms_exset_free(s->set);
}

static char *handout(const sheet *s, fms_handout_format fmt, int with_answers, const char *who)
{
    fms_strbuf b = { 0 };
    fms_error err;
    fms_error_clear(&err);
    ck_assert_msg(fms_handout_render(s->set, s->key, fmt, with_answers, who, &b, &err) == FMS_OK, "%s", err.msg);
    char *r = fms_strbuf_dup(fms_strbuf_str(&b));
    fms_strbuf_free(&b);
    return r;
}

static char *worked(const sheet *s, fms_format fmt)
{
    fms_strbuf b = { 0 };
    ck_assert_int_eq(fms_render_all(s->set, s->key, fmt, &b, NULL), FMS_OK);
    char *r = fms_strbuf_dup(fms_strbuf_str(&b));
    fms_strbuf_free(&b);
    return r;
}

/* Removes the first occurrence of line from s (it must be there). */
static void drop(char *s, const char *line)
{
    char *at = strstr(s, line);
    ck_assert_msg(at != NULL, "no '%s'", line);
    memmove(at, at + strlen(line), strlen(at + strlen(line)) + 1);
}

static size_t count(const char *s, const char *what)
{
    size_t n = 0;
    for (const char *p = strstr(s, what); p; p = strstr(p + 1, what))
        n++;
    return n;
}

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), k = strlen(tail);
    return n >= k && strcmp(s + n - k, tail) == 0;
}

START_TEST(markdown_questions_only)
{
    sheet s = builtin();
    char *md = handout(&s, FMS_HANDOUT_MARKDOWN, 0, "ada");
    const char *head = "# Flow Matching II (Discussion 11)\n\nVariant for: ada\n\nData: $\\mathrm{A} = ";
    ck_assert_int_eq(strncmp(md, head, strlen(head)), 0);
    ck_assert_ptr_nonnull(strstr(md, "## 1.3\n\n> Consider the case where t = 0.9"));
    ck_assert_ptr_nonnull(strstr(md, "**(c)** How often does the training loop produce supervision toward A vs."));
    /* 1.4 and the derivations: their text once, no part line repeating it. */
    ck_assert_int_eq(count(md, "Both 1.1 and 1.3"), 1);
    ck_assert_ptr_nonnull(strstr(md, "## 1.4\n\n> Both 1.1 and 1.3"));
    ck_assert_ptr_null(strstr(md, "**(4)**"));
    ck_assert_ptr_null(strstr(md, "**(1)**"));
    /* No step, claim or result: no list item, no answer. */
    ck_assert_ptr_null(strstr(md, "\n- "));
    ck_assert_ptr_null(strstr(md, "2.86"));
    ck_assert_ptr_null(strstr(md, "\xE2\x87\x92"));
    /* The answer sheet ends the handout, one line per key item. */
    ck_assert_ptr_nonnull(strstr(md, "## Your answers\n\n"));
    ck_assert_ptr_nonnull(strstr(md, "```\n1.1a.A =\n1.1a.B =\n"));
    ck_assert_int_eq(count(md, " =\n"), s.key->n);
    ck_assert(ends_with(md, "\n2.2 =\n```\n"));
    free(md);
    sheet_free(&s);
}
END_TEST

START_TEST(latex_questions_only)
{
    sheet s = builtin();
    char *tex = handout(&s, FMS_HANDOUT_LATEX, 0, "a_b&c$");
    char *full = worked(&s, FMS_FORMAT_LATEX);
    /* The worked answers' preamble and title, then the escaped student line. */
    const char *title_end = strstr(strstr(full, "\\section*{"), "}\n") + 2;
    ck_assert_int_eq(strncmp(tex, full, (size_t)(title_end - full)), 0);
    const char *line = "Variant for: a\\_b\\&c\\$\n\nData: ";
    ck_assert_int_eq(strncmp(tex + (title_end - full), line, strlen(line)), 0);
    ck_assert_ptr_nonnull(strstr(tex, "\\medskip\\noindent\\textbf{(a)} If x1 = A was sampled at L1, what $\\varepsilon$"));
    ck_assert_ptr_nonnull(strstr(tex, "\\section*{1.4}\nBoth 1.1 and 1.3"));
    ck_assert_int_eq(count(tex, "Both 1.1 and 1.3"), 1);
    ck_assert_ptr_null(strstr(tex, "\\item"));
    ck_assert_ptr_null(strstr(tex, "2.86"));
    ck_assert_ptr_nonnull(strstr(tex, "\\section*{Your answers}\n"));
    ck_assert_ptr_nonnull(strstr(tex, "\\begin{verbatim}\n1.1a.A =\n"));
    ck_assert(ends_with(tex, "\n2.2 =\n\\end{verbatim}\n\\end{document}\n"));
    /* Braces balance outside the verbatim block. */
    int depth = 0;
    const char *end = strstr(tex, "\\begin{verbatim}");
    for (const char *c = tex; c < end; c++)
        if ((*c == '{' || *c == '}') && (c == tex || c[-1] != '\\'))
            depth += *c == '{' ? 1 : -1;
    ck_assert_int_eq(depth, 0);
    free(full);
    free(tex);
    sheet_free(&s);
}
END_TEST

/* With answers, a handout is the worked answers byte for byte, plus its student line. */
START_TEST(with_answers_is_the_worked_answers)
{
    sheet s = builtin();
    static const struct { fms_handout_format h; fms_format f; } kinds[] = {
        { FMS_HANDOUT_MARKDOWN, FMS_FORMAT_MARKDOWN },
        { FMS_HANDOUT_LATEX, FMS_FORMAT_LATEX },
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        char *full = worked(&s, kinds[i].f);
        char *h = handout(&s, kinds[i].h, 1, "ada");
        ck_assert_ptr_null(strstr(h, "Your answers"));
        drop(h, "Variant for: ada\n\n");
        ck_assert_str_eq(h, full);
        free(h);
        h = handout(&s, kinds[i].h, 1, NULL);
        ck_assert_str_eq(h, full);
        free(h);
        free(full);
    }
    sheet_free(&s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("handout");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, markdown_questions_only);
    tcase_add_test(tc, latex_questions_only);
    tcase_add_test(tc, with_answers_is_the_worked_answers);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}
