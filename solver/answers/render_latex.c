/* render_latex.c — a worked answer as LaTeX (see render_doc.h): a
 * standalone article that pdflatex compiles (utf8 input, amsmath and
 * amssymb), exercises as unnumbered sections, parts as bold letters, steps
 * as itemize lists with nested sub-steps.  Prose is escaped; the non-ASCII
 * characters a sheet uses (Greek letters, −, ·, ≈, ⇒, ‖, ², …) are written
 * as TeX by the UNICODE table, Latin-1 letters pass to inputenc, and any
 * other character becomes "?" (pdflatex could not typeset it).  In scope
 * FMS_RENDER_QUESTIONS only the heading, the text and the questions. */
#include "answers/render_doc.h"

#include <string.h>

#include "base/utf8.h"

static const struct { const char *utf8, *tex; } UNICODE[] = {
    { "\xCE\xB5", "$\\varepsilon$" }, { "\xCE\xB8", "$\\theta$" }, { "\xCF\x86", "$\\varphi$" },
    { "\xCE\x94", "$\\Delta$" }, { "\xCE\xA3", "$\\Sigma$" }, { "\xE2\x88\x92", "$-$" },
    { "\xC2\xB7", "$\\cdot$" }, { "\xE2\x89\x88", "$\\approx$" }, { "\xE2\x86\x92", "$\\to$" },
    { "\xE2\x87\x92", "$\\Rightarrow$" }, { "\xE2\x80\x96", "$\\|$" }, { "\xC2\xB2", "$^2$" },
    { "\xE2\x88\x9D", "$\\propto$" }, { "\xE2\x80\x93", "--" }, { "\xE2\x80\x94", "---" },
    { "\xE2\x80\xA6", "\\ldots{}" }, { "\xE2\x9C\x93", "$\\checkmark$" }, { "\xE2\x9C\x97", "$\\times$" },
    { "\xE2\x80\x98", "`" }, { "\xE2\x80\x99", "'" }, { "\xE2\x80\x9C", "``" }, { "\xE2\x80\x9D", "''" },
    { "\xCC\x82", "\\^{}" }, { "\xC3\x97", "$\\times$" }, { "\xC2\xB1", "$\\pm$" },
};

static const struct { char c; const char *tex; } SPECIAL[] = {
    { '#', "\\#" }, { '$', "\\$" }, { '%', "\\%" }, { '&', "\\&" }, { '_', "\\_" }, { '{', "\\{" },
    { '}', "\\}" }, { '~', "\\textasciitilde{}" }, { '^', "\\textasciicircum{}" }, { '\\', "\\textbackslash{}" },
    { '<', "\\textless{}" }, { '>', "\\textgreater{}" }, { '|', "\\textbar{}" },
};

static int put_unicode(fms_strbuf *out, const char *s, size_t len)
{
    for (size_t i = 0; i < sizeof UNICODE / sizeof UNICODE[0]; i++)
        if (strlen(UNICODE[i].utf8) == len && memcmp(UNICODE[i].utf8, s, len) == 0) {
            fms_strbuf_puts(out, UNICODE[i].tex);
            return 1;
        }
    return 0;
}

/* Prose as LaTeX text. */
static void put_escaped(fms_strbuf *out, const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        size_t len = fms_utf8_seq_len(s + i, n - i);
        if (len == 0)
            len = 1;
        int done = 0;
        for (size_t k = 0; len == 1 && k < sizeof SPECIAL / sizeof SPECIAL[0] && !done; k++)
            if (SPECIAL[k].c == s[i]) {
                fms_strbuf_puts(out, SPECIAL[k].tex);
                done = 1;
            }
        if (!done && len > 1)
            done = put_unicode(out, s + i, len);
        if (!done && len == 2 && ((unsigned char)s[i] == 0xC2 || (unsigned char)s[i] == 0xC3)) {
            fms_strbuf_putn(out, s + i, len); /* Latin-1: inputenc knows it */
            done = 1;
        }
        if (!done)
            fms_strbuf_puts(out, len == 1 ? (char[2]){ s[i], 0 } : "?");
        i += len;
    }
}

static void put_runs(const fms_block *b, fms_strbuf *out)
{
    for (size_t i = 0; i < b->nruns; i++) {
        const fms_run *r = &b->runs[i];
        if (r->kind == FMS_RUN_TEXT) {
            put_escaped(out, r->text);
        } else if (r->kind == FMS_RUN_MATH) {
            fms_strbuf_puts(out, "$");
            fms_math_tex(r->math, out);
            fms_strbuf_puts(out, "$");
        } else {
            fms_strbuf_puts(out, "$\\mathrm{");
            for (const char *p = r->text; *p; p++)
                fms_strbuf_puts(out, *p == '_' ? "\\_" : (char[2]){ *p, 0 });
            fms_strbuf_puts(out, "}$");
        }
    }
}

void fms_render_doc_latex_scope(const fms_doc *d, fms_render_scope scope, fms_strbuf *out)
{
    fms_strbuf_puts(out, "\\section*{");
    put_escaped(out, d->id);
    fms_strbuf_puts(out, "}\n");
    if (d->text || d->heading) {
        put_escaped(out, d->text ? d->text : d->heading);
        fms_strbuf_puts(out, "\n\n");
    }
    for (const fms_doc_part *p = d->first; p; p = p->next) {
        int depth = 0, any = 0;
        for (const fms_block *b = p->first; b; b = b->next) {
            if (b->kind == FMS_BLOCK_QUESTION) {
                fms_strbuf_printf(out, "\\medskip\\noindent\\textbf{(%c)} ", p->letter);
                put_runs(b, out);
                fms_strbuf_puts(out, "\n");
                any = 1;
                continue;
            }
            if (scope == FMS_RENDER_QUESTIONS)
                continue;
            int want = b->level && depth > 0 ? 2 : 1;
            for (; depth < want; depth++)
                fms_strbuf_puts(out, "\\begin{itemize}\n");
            for (; depth > want; depth--)
                fms_strbuf_puts(out, "\\end{itemize}\n");
            fms_strbuf_puts(out, "\\item ");
            put_runs(b, out);
            fms_strbuf_puts(out, "\n");
        }
        for (; depth > 0; depth--)
            fms_strbuf_puts(out, "\\end{itemize}\n");
        if (any || scope == FMS_RENDER_WORKED)
            fms_strbuf_puts(out, "\n");
    }
}

void fms_render_doc_latex(const fms_doc *d, fms_strbuf *out)
{
    fms_render_doc_latex_scope(d, FMS_RENDER_WORKED, out);
}

void fms_render_latex_begin(const char *title, const fms_doc *head, fms_strbuf *out)
{
    fms_strbuf_puts(out, "\\documentclass{article}\n\\usepackage[utf8]{inputenc}\n\\usepackage[T1]{fontenc}\n"
                         "\\usepackage{amsmath,amssymb}\n\\begin{document}\n");
    if (title) {
        fms_strbuf_puts(out, "\\section*{");
        put_escaped(out, title);
        fms_strbuf_puts(out, "}\n");
    }
    for (const fms_block *b = head && head->first ? head->first->first : NULL; b; b = b->next) {
        put_runs(b, out);
        fms_strbuf_puts(out, "\n\n");
    }
}

void fms_render_latex_end(fms_strbuf *out)
{
    fms_strbuf_puts(out, "\\end{document}\n");
}
