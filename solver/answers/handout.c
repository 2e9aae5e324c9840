/* handout.c — see handout.h. */
#include "answers/handout.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "answers/render.h"
#include "base/numfmt.h"

/* ---- LaTeX text ------------------------------------------------------------ */

typedef struct tex_sym {
    const char *utf8;
    const char *tex;
} tex_sym;

/* The worked answers' symbols in running text; longer sequences first. */
static const tex_sym tex_syms[] = {
    { "x\xCC\x82", "\\ensuremath{\\hat{x}}" },                  /* x̂ */
    { "\xCE\xB5\xCC\x82", "\\ensuremath{\\hat{\\varepsilon}}" }, /* ε̂ */
    { "\xCE\xB5", "\\ensuremath{\\varepsilon}" },
    { "\xCE\xB8", "\\ensuremath{\\theta}" },
    { "\xCF\x86", "\\ensuremath{\\varphi}" },
    { "\xCF\x83", "\\ensuremath{\\sigma}" },
    { "\xCE\xB1", "\\ensuremath{\\alpha}" },
    { "\xCE\xB2", "\\ensuremath{\\beta}" },
    { "\xCE\xBC", "\\ensuremath{\\mu}" },
    { "\xCE\xA3", "\\ensuremath{\\Sigma}" },
    { "\xCE\x94", "\\ensuremath{\\Delta}" },
    { "\xE2\x84\x93", "\\ensuremath{\\ell}" },
    { "\xE2\x88\x92", "\\ensuremath{-}" },
    { "\xC2\xB7", "\\ensuremath{\\cdot}" },
    { "\xE2\x89\x88", "\\ensuremath{\\approx}" },
    { "\xE2\x86\x92", "\\ensuremath{\\to}" },
    { "\xE2\x87\x92", "\\ensuremath{\\Rightarrow}" },
    { "\xE2\x88\x9D", "\\ensuremath{\\propto}" },
    { "\xE2\x89\xA4", "\\ensuremath{\\le}" },
    { "\xE2\x89\xA5", "\\ensuremath{\\ge}" },
    { "\xE2\x88\x9E", "\\ensuremath{\\infty}" },
    { "\xC3\x97", "\\ensuremath{\\times}" },
    { "\xE2\x80\x96", "\\ensuremath{\\|}" },
    { "\xE2\x88\x9A", "\\ensuremath{\\surd}" },
    { "\xC2\xB2", "\\ensuremath{^2}" },
    { "\xE2\x81\xBB", "\\ensuremath{^-}" },
    { "\xE2\x9C\x93", "\\ensuremath{\\checkmark}" },
    { "\xE2\x9C\x97", "\\ensuremath{\\times}" },
    { "\xCC\x82", "\\^{}" }, /* a combining circumflex after another letter */
    { "\xE2\x80\x93", "--" },
    { "\xE2\x80\x94", "---" },
    { "\xE2\x80\xA6", "\\ldots{}" },
    { "\\", "\\textbackslash{}" },
    { "{", "\\{" },
    { "}", "\\}" },
    { "$", "\\$" },
    { "&", "\\&" },
    { "#", "\\#" },
    { "_", "\\_" },
    { "%", "\\%" },
    { "~", "\\textasciitilde{}" },
    { "^", "\\textasciicircum{}" },
    { "|", "\\textbar{}" },
    { "<", "\\textless{}" },
    { ">", "\\textgreater{}" },
};

/* Appends text s as LaTeX running text. */
static void put_latex(fms_strbuf *out, const char *s)
{
    while (*s) {
        size_t i = 0, n = sizeof tex_syms / sizeof tex_syms[0];
        while (i < n && strncmp(s, tex_syms[i].utf8, strlen(tex_syms[i].utf8)) != 0)
            i++;
        if (i < n) {
            fms_strbuf_puts(out, tex_syms[i].tex);
            s += strlen(tex_syms[i].utf8);
        } else {
            fms_strbuf_putn(out, s, 1);
            s++;
        }
    }
}

/* ---- the two formats ------------------------------------------------------- */

typedef struct hctx {
    fms_handout_format fmt;
    fms_strbuf *out;
} hctx;

/* Appends s as running text of the format. */
static void put_text(hctx *h, const char *s)
{
    if (h->fmt == FMS_HANDOUT_LATEX)
        put_latex(h->out, s);
    else
        fms_strbuf_puts(h->out, s);
}

static void heading(hctx *h, int level, const char *text)
{
    if (h->fmt == FMS_HANDOUT_MARKDOWN) {
        fms_strbuf_printf(h->out, "%s %s\n\n", level == 1 ? "#" : "##", text);
        return;
    }
    fms_strbuf_puts(h->out, level == 1 ? "\\section*{" : "\\subsection*{");
    put_latex(h->out, text);
    fms_strbuf_puts(h->out, "}\n\n");
}

static void paragraph(hctx *h, const char *text, int quote)
{
    if (h->fmt == FMS_HANDOUT_MARKDOWN) {
        fms_strbuf_printf(h->out, "%s%s\n\n", quote ? "> " : "", text);
        return;
    }
    fms_strbuf_puts(h->out, quote ? "\\begin{quote}\n" : "\\noindent ");
    put_latex(h->out, text);
    fms_strbuf_puts(h->out, quote ? "\n\\end{quote}\n\n" : "\n\n");
}

/* The steps of a part (text lines; leading blanks mark sub-steps). */
static void steps(hctx *h, const json_t *lines)
{
    size_t i;
    const json_t *line;
    if (json_array_size(lines) == 0)
        return;
    int latex = h->fmt == FMS_HANDOUT_LATEX;
    fms_strbuf_puts(h->out, latex ? "\\begin{itemize}\n" : "");
    json_array_foreach(lines, i, line) {
        const char *s = json_string_value(line);
        if (s == NULL || *s == '\0')
            continue;
        int sub = *s == ' ';
        while (*s == ' ')
            s++;
        fms_strbuf_puts(h->out, latex ? (sub ? "  \\item[] \\quad " : "  \\item ") : (sub ? "  - " : "- "));
        put_text(h, s);
        fms_strbuf_puts(h->out, "\n");
    }
    fms_strbuf_puts(h->out, latex ? "\\end{itemize}\n" : "\n");
}

/* One part: "(a) question", then its steps when with answers. */
static void part(hctx *h, const json_t *p, int with_answers)
{
    const char *id = json_string_value(json_object_get(p, "id"));
    const char *q = json_string_value(json_object_get(p, "question"));
    size_t n = id ? strlen(id) : 0;
    char letter = n > 0 ? id[n - 1] : '?';
    if (h->fmt == FMS_HANDOUT_MARKDOWN) {
        fms_strbuf_printf(h->out, "**(%c)** %s\n\n", letter, q ? q : "");
    } else {
        fms_strbuf_printf(h->out, "\\paragraph{(%c)} ", letter);
        put_latex(h->out, q ? q : "");
        fms_strbuf_puts(h->out, "\n\n");
    }
    if (with_answers)
        steps(h, json_object_get(p, "steps"));
}

static void exercise(hctx *h, const json_t *x, int with_answers)
{
    const char *id = json_string_value(json_object_get(x, "id"));
    const char *text = json_string_value(json_object_get(x, "text"));
    heading(h, 2, id ? id : "");
    if (text)
        paragraph(h, text, 1);
    size_t i;
    const json_t *p;
    json_array_foreach(json_object_get(x, "parts"), i, p) {
        if (json_object_get(p, "question"))
            part(h, p, with_answers);
        else if (with_answers)
            steps(h, json_object_get(p, "steps"));
    }
}

/* "Data: A = 0.5 (p = 0.5), ... Path: ..." from the document's data. */
static void data_line(hctx *h, const json_t *data)
{
    fms_strbuf line = { 0 };
    fms_strbuf_puts(&line, "Data: ");
    size_t i;
    const json_t *d;
    json_array_foreach(data, i, d) {
        char x[FMS_NUM_MAX], p[FMS_NUM_MAX];
        fms_numfmt_text(json_number_value(json_object_get(d, "x1")), 6, x);
        fms_numfmt_text(json_number_value(json_object_get(d, "prob")), 6, p);
        fms_strbuf_printf(&line, "%s%s = %s (p = %s)", i ? ", " : "",
                          json_string_value(json_object_get(d, "label")), x, p);
    }
    fms_strbuf_puts(&line, ". Path: x_t = (1 \xE2\x88\x92 t)\xC2\xB7\xCE\xB5 + t\xC2\xB7x1 with \xCE\xB5 ~ N(0, 1); "
                           "target u = x1 \xE2\x88\x92 \xCE\xB5.");
    paragraph(h, fms_strbuf_str(&line), 0);
    if (fms_strbuf_status(&line) != FMS_OK)
        h->out->failed = 1;
    fms_strbuf_free(&line);
}

/* The answer sheet to hand in: one "ID =" line per key item. */
static void answer_sheet(hctx *h, const fms_key *key)
{
    heading(h, 2, "Your answers");
    paragraph(h, "Hand in a text file with one line per answer, ID = ANSWER: a number, an expression such as "
                 "exp(-3) or 1.5e-12, or a formula in the variables the question names.", 0);
    fms_strbuf_puts(h->out, h->fmt == FMS_HANDOUT_LATEX ? "\\begin{verbatim}\n" : "```\n");
    for (size_t i = 0; i < key->n; i++)
        fms_strbuf_printf(h->out, "%s =\n", key->items[i].id);
    fms_strbuf_puts(h->out, h->fmt == FMS_HANDOUT_LATEX ? "\\end{verbatim}\n" : "```\n");
}

static const char latex_preamble[] =
    "\\documentclass[11pt]{article}\n"
    "\\usepackage[utf8]{inputenc}\n"
    "\\usepackage[T1]{fontenc}\n"
    "\\usepackage{amsmath,amssymb}\n"
    "\\usepackage[margin=2.5cm]{geometry}\n"
    "\\setlength{\\parindent}{0pt}\n"
    "\\begin{document}\n\n";

/* Writes the handout from the renderer's JSON document doc. */
static void write_doc(hctx *h, const json_t *doc, const fms_key *key, int with_answers, const char *who)
{
    const char *title = json_string_value(json_object_get(doc, "title"));
    if (h->fmt == FMS_HANDOUT_LATEX)
        fms_strbuf_puts(h->out, latex_preamble);
    heading(h, 1, title && *title ? title : "Flow matching exercises");
    if (who) {
        fms_strbuf line = { 0 };
        fms_strbuf_printf(&line, "Variant for: %s", who);
        paragraph(h, fms_strbuf_str(&line), 0);
        fms_strbuf_free(&line);
    }
    data_line(h, json_object_get(doc, "data"));
    size_t i;
    const json_t *x;
    json_array_foreach(json_object_get(doc, "exercises"), i, x)
        exercise(h, x, with_answers);
    if (!with_answers)
        answer_sheet(h, key);
    if (h->fmt == FMS_HANDOUT_LATEX)
        fms_strbuf_puts(h->out, "\n\\end{document}\n");
}

/* The worked answers in Markdown, as the renderer writes them, with the
 * student line under the title. */
static fms_status worked_markdown(const fms_exset *set, const fms_key *key, const char *who, fms_strbuf *out,
                                  fms_error *err)
{
    fms_strbuf md = { 0 };
    fms_status st = fms_render_all(set, key, FMS_FORMAT_MARKDOWN, &md, err);
    if (st == FMS_OK) {
        const char *s = fms_strbuf_str(&md);
        const char *body = strstr(s, "\n\n");
        body = body ? body + 2 : s + strlen(s);
        fms_strbuf_putn(out, s, (size_t)(body - s));
        if (who)
            fms_strbuf_printf(out, "Variant for: %s\n\n", who);
        fms_strbuf_puts(out, body);
        if (fms_strbuf_status(out) != FMS_OK)
            st = fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    }
    fms_strbuf_free(&md);
    return st;
}

fms_status fms_handout_render(const fms_exset *set, const fms_key *key, fms_handout_format fmt, int with_answers,
                              const char *who, fms_strbuf *out, fms_error *err)
{
    if (fmt == FMS_HANDOUT_MARKDOWN && with_answers)
        return worked_markdown(set, key, who, out, err);
    fms_strbuf doc = { 0 };
    fms_status st = fms_render_all(set, key, FMS_FORMAT_JSON, &doc, err);
    json_t *root = st == FMS_OK ? json_loads(fms_strbuf_str(&doc), 0, NULL) : NULL;
    fms_strbuf_free(&doc);
    if (st == FMS_OK && root == NULL)
        st = fms_error_set(err, FMS_ENOMEM, 0, "out of memory while reading the worked answers");
    if (st == FMS_OK) {
        hctx h = { .fmt = fmt, .out = out };
        write_doc(&h, root, key, with_answers, who);
        if (fms_strbuf_status(out) != FMS_OK)
            st = fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    }
    json_decref(root);
    return st;
}
