/* handout.c — see handout.h. */
#include "answers/handout.h"

#include "answers/build.h"
#include "answers/render_doc.h"

/* The set's heading (build.h) with "Variant for: who" as its first line. */
static fms_status heading(const fms_exset *set, const char *who, fms_doc *head, fms_error *err)
{
    fms_status st = fms_build_set_header(set, head, err);
    fms_doc_part *p = head->first;
    if (st != FMS_OK || who == NULL || p == NULL)
        return st;
    fms_block *before = p->first, *last = p->last;
    fms_block *b = fms_doc_add(head, p, FMS_BLOCK_STEP, 0, "Variant for: %s", who);
    if (b == NULL || head->failed)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    if (last != NULL) { /* move the new block from the end to the front */
        last->next = NULL;
        p->last = last;
        b->next = before;
        p->first = b;
    }
    return FMS_OK;
}

/* The answer sheet to hand in: one "ID =" line per key item. */
static void answer_sheet(fms_handout_format fmt, const fms_key *key, fms_strbuf *out)
{
    static const char how[] = "Hand in a text file with one line per answer, ID = ANSWER: a number, an expression "
                               "such as exp(-3) or 1.5e-12, or a formula in the variables the question names.\n\n";
    int latex = fmt == FMS_HANDOUT_LATEX;
    fms_strbuf_puts(out, latex ? "\\section*{Your answers}\n" : "## Your answers\n\n");
    fms_strbuf_puts(out, how);
    fms_strbuf_puts(out, latex ? "\\begin{verbatim}\n" : "```\n");
    for (size_t i = 0; i < key->n; i++)
        fms_strbuf_printf(out, "%s =\n", key->items[i].id);
    fms_strbuf_puts(out, latex ? "\\end{verbatim}\n" : "```\n");
}

/* Exercise ex built and written in the handout's format and scope. */
static fms_status exercise(const fms_exset *set, size_t ex, fms_handout_format fmt, fms_render_scope scope,
                           fms_strbuf *out, fms_error *err)
{
    fms_doc d = { 0 };
    fms_status st = fms_build_exercise(set, ex, -1, &d, err);
    if (st == FMS_OK && fmt == FMS_HANDOUT_LATEX)
        fms_render_doc_latex_scope(&d, scope, out);
    else if (st == FMS_OK)
        fms_render_doc_md_scope(&d, scope, out);
    fms_doc_free(&d);
    return st;
}

fms_status fms_handout_render(const fms_exset *set, const fms_key *key, fms_handout_format fmt, int with_answers,
                              const char *who, fms_strbuf *out, fms_error *err)
{
    const char *title = set->title ? set->title : "Flow matching exercises";
    fms_render_scope scope = with_answers ? FMS_RENDER_WORKED : FMS_RENDER_QUESTIONS;
    fms_doc head = { 0 };
    fms_status st = heading(set, who, &head, err);
    if (st == FMS_OK && fmt == FMS_HANDOUT_LATEX)
        fms_render_latex_begin(title, &head, out);
    else if (st == FMS_OK)
        fms_render_head_md(title, &head, out);
    fms_doc_free(&head);
    for (size_t i = 0; st == FMS_OK && i < set->n; i++)
        st = exercise(set, i, fmt, scope, out, err);
    if (st == FMS_OK && !with_answers)
        answer_sheet(fmt, key, out);
    if (st == FMS_OK && fmt == FMS_HANDOUT_LATEX)
        fms_render_latex_end(out);
    if (st == FMS_OK && fms_strbuf_status(out) != FMS_OK)
        st = fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    return st;
}
