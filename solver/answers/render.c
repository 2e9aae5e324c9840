/* render.c — see render.h. */
#include "answers/render.h"

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "model/engine.h"
#include "base/json.h"
#include "base/numfmt.h"
#include "base/utf8.h"

fms_status fms_render_format_parse(const char *name, fms_format *out)
{
    if (strcmp(name, "text") == 0)
        *out = FMS_FORMAT_TEXT;
    else if (strcmp(name, "markdown") == 0 || strcmp(name, "md") == 0)
        *out = FMS_FORMAT_MARKDOWN;
    else if (strcmp(name, "json") == 0)
        *out = FMS_FORMAT_JSON;
    else
        return FMS_EINVAL;
    return FMS_OK;
}

/* ---- JSON helpers ------------------------------------------------------ */

/* json_real of a double, -0 written as 0 (jansson would print "-0.0"). */
static json_t *jnum(double x)
{
    if (x == 0.0)
        return json_integer(0);
    if (x == floor(x) && fabs(x) < 9007199254740992.0)
        return json_integer((json_int_t)x);
    return json_real(x);
}

/* ---- list, key, query -------------------------------------------------- */

/* Appends the start of text that fits in width columns, with "…" when cut. */
static void put_clipped(fms_strbuf *out, const char *text, size_t width);

fms_status fms_render_list(const fms_exset *set, fms_strbuf *out, fms_error *err)
{
    for (size_t i = 0; i < set->n; i++) {
        const fms_exercise *x = &set->ex[i];
        fms_strbuf head = { 0 };
        char xs[FMS_NUM_MAX], ts[FMS_NUM_MAX];
        switch (x->kind) {
        case FMS_EX_POINT:
            fms_numfmt_text(x->x_t, 6, xs);
            fms_numfmt_text(x->t, 6, ts);
            fms_strbuf_printf(&head, "%-5s x_t = %s, t = %s, parts a\xE2\x80\x93%c", x->id, xs, ts,
                              (char)('a' + x->nparts - 1));
            break;
        case FMS_EX_COMPARE:
            fms_strbuf_printf(&head, "%-5s compare %s and %s", x->id, set->ex[x->compare[0]].id,
                              set->ex[x->compare[1]].id);
            break;
        case FMS_EX_EPS_TO_VELOCITY:
            fms_strbuf_printf(&head, "%-5s u from x_t, \xCE\xB5, t", x->id);
            break;
        case FMS_EX_EULER_EPS:
            fms_strbuf_printf(&head, "%-5s Euler step with \xCE\xB5_\xCE\xB8", x->id);
            break;
        }
        const char *h = fms_strbuf_str(&head);
        fms_strbuf_puts(out, h);
        size_t w = fms_utf8_count(h, strlen(h));
        if (x->text && w + 4 < 78) {
            for (; w < 34; w++)
                fms_strbuf_puts(out, " ");
            fms_strbuf_puts(out, "  ");
            put_clipped(out, x->text, 78 - w - 2);
        }
        fms_strbuf_puts(out, "\n");
        fms_strbuf_free(&head);
    }
    return fms_strbuf_status(out) == FMS_OK ? FMS_OK : fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
}

fms_status fms_render_key(const fms_key *key, fms_strbuf *out, fms_error *err)
{
    char v[FMS_KEY_VALUE_MAX];
    for (size_t i = 0; i < key->n; i++) {
        fms_key_item_value(&key->items[i], v);
        fms_strbuf_printf(out, "%s = %s\n", key->items[i].id, v);
    }
    return fms_strbuf_status(out) == FMS_OK ? FMS_OK : fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
}

fms_status fms_render_query(const fms_data *d, long double t, long double one_minus_t, long double x_t, int json, fms_strbuf *out, fms_error *err)
{
    fms_component *comp = calloc(d->n, sizeof *comp);
    if (comp == NULL)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    fms_posterior post;
    fms_status st = fms_engine_eval_lt(d, t, one_minus_t, x_t, comp, &post, err);
    if (st != FMS_OK) {
        free(comp);
        return st;
    }
    if (json) {
        json_t *root = json_object();
        json_t *arr = json_array();
        json_object_set_new(root, "t", jnum((double)t));
        json_object_set_new(root, "x_t", jnum((double)x_t));
        for (size_t k = 0; k < d->n; k++) {
            json_t *c = json_object();
            json_object_set_new(c, "label", json_string(d->labels[k]));
            json_object_set_new(c, "x1", jnum(d->x[k]));
            json_object_set_new(c, "prob", jnum(d->prob[k]));
            json_object_set_new(c, "eps", jnum(comp[k].eps));
            json_object_set_new(c, "u", jnum(comp[k].u));
            json_object_set_new(c, "log_weight", jnum(comp[k].log_weight));
            json_object_set_new(c, "weight", jnum(comp[k].weight));
            json_array_append_new(arr, c);
        }
        json_object_set_new(root, "components", arr);
        json_object_set_new(root, "velocity", jnum(post.velocity));
        json_object_set_new(root, "x1_mean", jnum(post.x1_mean));
        json_object_set_new(root, "eps_mean", jnum(post.eps_mean));
        st = fms_json_append(out, root, err);
    } else {
        char a[FMS_NUM_MAX], b[FMS_NUM_MAX], c[FMS_NUM_MAX], e[FMS_NUM_MAX], w[FMS_NUM_MAX];
        fms_numfmt_key((double)x_t, 15, a);
        fms_numfmt_key((double)t, 15, b);
        fms_strbuf_printf(out, "x_t = %s, t = %s\n\n", a, b);
        fms_strbuf_printf(out, "%-10s %12s %8s %22s %22s %24s %22s\n", "label", "x1", "prob", "eps", "u",
                          "log_weight", "weight");
        for (size_t k = 0; k < d->n; k++) {
            fms_numfmt_key(d->x[k], 6, a);
            fms_numfmt_key(d->prob[k], 6, b);
            fms_numfmt_key(comp[k].eps, 15, c);
            fms_numfmt_key(comp[k].u, 15, e);
            if (isnan(comp[k].weight_mant)) {
                char lw[FMS_NUM_MAX];
                fms_numfmt_key(comp[k].log_weight, 6, lw);
                snprintf(w, sizeof w, "exp(%.40s)", lw);
            } else {
                fms_numfmt_key_e10(comp[k].weight_mant, comp[k].weight_e10, 15, w);
            }
            char l[FMS_NUM_MAX];
            fms_numfmt_key(comp[k].log_weight, 15, l);
            fms_strbuf_printf(out, "%-10s %12s %8s %22s %22s %24s %22s\n", d->labels[k], a, b, c, e, l, w);
        }
        fms_numfmt_key(post.velocity, 15, a);
        fms_numfmt_key(post.x1_mean, 15, b);
        fms_numfmt_key(post.eps_mean, 15, c);
        fms_strbuf_printf(out, "\nvelocity = %s\nx1_mean  = %s\neps_mean = %s\n", a, b, c);
        if (fms_strbuf_status(out) != FMS_OK)
            st = fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    }
    free(comp);
    return st;
}

/* ---- worked answers ----------------------------------------------------
 *
 * A worked answer is written once, as "markup": UTF-8 text in which math
 * stands between '$' signs.  Text output drops the '$'; Markdown converts
 * each math span to TeX (ε → \varepsilon, · → \cdot, 10^-20 → 10^{-20}, ...);
 * JSON keeps the text form of each line as a step.  So the three formats can
 * never disagree about a number.
 */

typedef struct ctx {
    const fms_exset *set;
    const fms_key *key;
    fms_format fmt;
    fms_strbuf *out;
    fms_strbuf lines;      /* markup lines of the block being written, '\n'-separated */
    json_t *jparts;        /* JSON: the current exercise's parts */
    fms_component *comp;   /* scratch, set->data->n entries */
    fms_component *comp2;  /* scratch for the second point of a comparison */
    fms_error *err;
} ctx;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void step(ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fms_strbuf_vprintf(&c->lines, fmt, ap);
    va_end(ap);
    fms_strbuf_puts(&c->lines, "\n");
}

/* A small ring of number buffers, so that several numbers can be formatted in one step() call. */
typedef struct numring {
    char buf[24][FMS_NUM_MAX];
    int next;
} numring;

static const char *ring_slot(numring *r, char **slot)
{
    *slot = r->buf[r->next];
    r->next = (r->next + 1) % 24;
    return *slot;
}

/* Worked answers show six significant digits; the key has fifteen. */
#define SIG 6

static const char *N(numring *r, double x)
{
    char *s;
    ring_slot(r, &s);
    fms_numfmt_text(x, SIG, s);
    return s;
}

/* A number inside a product or after a minus sign gets parentheses when negative: 0.9·(−0.5). */
static const char *NP(numring *r, double x)
{
    char *s;
    ring_slot(r, &s);
    char tmp[FMS_NUM_MAX];
    fms_numfmt_text(x, SIG, tmp);
    if (x < 0 && tmp[0] != '0')
        snprintf(s, FMS_NUM_MAX, "(%.60s)", tmp);
    else
        snprintf(s, FMS_NUM_MAX, "%.62s", tmp);
    return s;
}

/* exp(log_x) as a number, far beyond the range of a double if need be. */
static const char *NE(numring *r, double log_x)
{
    char *s;
    ring_slot(r, &s);
    if (fms_numfmt_text_exp(log_x, SIG, s) != FMS_OK)
        snprintf(s, FMS_NUM_MAX, "?");
    return s;
}

/* "=" when the shown digits are the value, "≈" when they are rounded. */
static const char *EQ(double x)
{
    char tmp[FMS_NUM_MAX];
    snprintf(tmp, sizeof tmp, "%.*g", SIG, x);
    return strtod(tmp, NULL) == x ? "=" : "\xE2\x89\x88";
}

/* A posterior share for display: "0.5", "1 − 2.86·10^-20" when it is within
 * 1e-4 of 1 (so that 1 − tiny is not shown as a bare 1), "2.86·10^-20". */
static const char *NW(numring *r, double log_w)
{
    char *s;
    ring_slot(r, &s);
    if (log_w > -1e-4) {
        char tmp[FMS_NUM_MAX];
        double rest = -expm1(log_w);
        if (rest == 0.0) {
            snprintf(s, FMS_NUM_MAX, "1");
            return s;
        }
        fms_numfmt_text(rest, SIG, tmp);
        snprintf(s, FMS_NUM_MAX, "1 \xE2\x88\x92 %.50s", tmp);
        return s;
    }
    if (fms_numfmt_text_exp(log_w, SIG, s) != FMS_OK)
        snprintf(s, FMS_NUM_MAX, "?");
    return s;
}

/* ---- markup to output ------------------------------------------------- */

/* Display width of UTF-8 text: code points, combining marks (U+0300–U+036F) counting 0. */
static size_t text_width(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (fms_utf8_is_cont(ch))
            continue;
        if (ch == 0xCC || (ch == 0xCD && i + 1 < n && (unsigned char)s[i + 1] < 0xB0))
            continue; /* U+0300–U+036F */
        w++;
    }
    return w;
}

/* Appends text wrapped at 78 columns: the first line after `first` columns
 * already used, the others indented by `indent`. */
static void put_wrapped(fms_strbuf *out, const char *text, size_t first, size_t indent)
{
    const size_t width = 78;
    size_t col = first;
    const char *p = text;
    int start = 1;
    while (*p) {
        size_t sp = strspn(p, " ");
        if (p[sp] == '\0')
            break;
        const char *word = p + sp;
        size_t n = strcspn(word, " ");
        size_t w = text_width(word, n);
        if (!start && col + sp + w > width) {
            fms_strbuf_puts(out, "\n");
            for (size_t i = 0; i < indent; i++)
                fms_strbuf_puts(out, " ");
            col = indent;
        } else if (!start) {
            fms_strbuf_putn(out, p, sp);
            col += sp;
        }
        fms_strbuf_putn(out, word, n);
        col += w;
        start = 0;
        p = word + n;
    }
}

static void put_clipped(fms_strbuf *out, const char *text, size_t width)
{
    size_t n = strlen(text);
    if (text_width(text, n) <= width) {
        fms_strbuf_puts(out, text);
        return;
    }
    size_t cut = 0;
    while (cut < n && text_width(text, cut) < width - 1)
        cut++;
    while (cut < n && fms_utf8_is_cont((unsigned char)text[cut]))
        cut++; /* never split a character */
    fms_strbuf_putn(out, text, cut);
    fms_strbuf_puts(out, "\xE2\x80\xA6");
}

/* The text form of a markup line: the '$' delimiters dropped. */
static void put_text_line(fms_strbuf *out, const char *line, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (line[i] != '$')
            fms_strbuf_putn(out, line + i, 1);
}

typedef struct tex_map {
    const char *utf8;
    const char *tex;
} tex_map;

static const tex_map tex_table[] = {
    { "\xCE\xB5\xCC\x82", "\\hat{\\varepsilon}" }, /* ε̂ */
    { "x\xCC\x82" "1", "\\hat{x}_1" },              /* x̂1 */
    { "\xCE\xB5", "\\varepsilon " },
    { "\xCE\xB8", "\\theta " },
    { "\xCF\x86", "\\varphi " },
    { "\xE2\x84\x93", "\\ell " },
    { "\xCE\xA3", "\\sum " },
    { "\xCE\x94", "\\Delta " },
    { "\xC2\xB7", "\\cdot " },
    { "\xE2\x89\x88", "\\approx " },
    { "\xE2\x86\x92", "\\to " },
    { "\xE2\x88\x92", "-" },
    { "\xE2\x89\xA4", "\\le " },
    { "\xE2\x89\xA5", "\\ge " },
    { "\xE2\x88\x9D", "\\propto " },
    { "\xE2\x87\x92", "\\Rightarrow " },
    { "\xE2\x80\x96", "\\|" },
    { "\xC2\xB2", "^2" },
    { "\xE2\x88\x9E", "\\infty " },
    { "\xC3\x97", "\\times " },
    { "\xCF\x83", "\\sigma " },
    { "|", "\\mid " },
    { "%", "\\%" },
    { "E[", "\\mathbb{E}[" },
    { "logsumexp", "\\operatorname{logsumexp}" },
    { "exp", "\\exp" },
    { "log", "\\log" },
};

/* Converts one math span (text form) to TeX. */
static void put_tex(fms_strbuf *out, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        int done = 0;
        int prev_alpha = i > 0 && ((s[i - 1] >= 'a' && s[i - 1] <= 'z') || (s[i - 1] >= 'A' && s[i - 1] <= 'Z'));
        for (size_t k = 0; k < sizeof tex_table / sizeof tex_table[0]; k++) {
            size_t m = strlen(tex_table[k].utf8);
            int word = (tex_table[k].utf8[0] >= 'a' && tex_table[k].utf8[0] <= 'z') || tex_table[k].utf8[0] == 'E';
            if (m <= n - i && memcmp(s + i, tex_table[k].utf8, m) == 0 && !(word && prev_alpha)) {
                fms_strbuf_puts(out, tex_table[k].tex);
                i += m;
                done = 1;
                break;
            }
        }
        if (done)
            continue;
        char ch = s[i];
        /* x1 → x_1 (the sheet's x_1), but not inside a word. */
        if (ch == 'x' && !prev_alpha && i + 1 < n && s[i + 1] == '1' && !(i + 2 < n && s[i + 2] >= '0' && s[i + 2] <= '9')) {
            fms_strbuf_puts(out, "x_1");
            i += 2;
            continue;
        }
        /* Exponents longer than one character get braces: 10^-20 → 10^{-20}. */
        if (ch == '^' && i + 1 < n && s[i + 1] != '{') {
            size_t j = i + 1;
            if (j < n && s[j] == '-')
                j++;
            else if (j + 2 < n && memcmp(s + j, "\xE2\x88\x92", 3) == 0)
                j += 3;
            size_t digits_start = j;
            while (j < n && ((s[j] >= '0' && s[j] <= '9') || s[j] == '.'))
                j++;
            if (j > digits_start) {
                fms_strbuf_puts(out, "^{");
                put_tex(out, s + i + 1, j - i - 1);
                fms_strbuf_puts(out, "}");
                i = j;
                continue;
            }
        }
        fms_strbuf_putn(out, s + i, 1);
        i++;
    }
}

/* The Markdown form of a markup line: text as is, math spans as $TeX$. */
static void put_md_line(fms_strbuf *out, const char *line, size_t n)
{
    size_t i = 0;
    while (i < n) {
        const char *dollar = memchr(line + i, '$', n - i);
        if (dollar == NULL) {
            fms_strbuf_putn(out, line + i, n - i);
            return;
        }
        size_t a = (size_t)(dollar - line);
        fms_strbuf_putn(out, line + i, a - i);
        const char *close = memchr(line + a + 1, '$', n - a - 1);
        size_t b = close ? (size_t)(close - line) : n;
        fms_strbuf_puts(out, "$");
        put_tex(out, line + a + 1, b - a - 1);
        fms_strbuf_puts(out, "$");
        i = b < n ? b + 1 : n;
    }
}

/* The answers (key items) of one exercise part, as JSON. */
static json_t *json_answers(const ctx *c, size_t ex, int part)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < c->key->n; i++) {
        const fms_key_item *it = &c->key->items[i];
        if (it->exercise != ex || it->part != part)
            continue;
        json_t *o = json_object();
        char v[FMS_KEY_VALUE_MAX];
        fms_key_item_value(it, v);
        json_object_set_new(o, "id", json_string(it->id));
        if (it->kind == FMS_ITEM_FORMULA) {
            json_object_set_new(o, "formula", json_string(it->formula));
        } else {
            json_object_set_new(o, "value", jnum(it->value));
            if (it->kind == FMS_ITEM_SHARE)
                json_object_set_new(o, "log_value", jnum(it->log_value));
        }
        json_object_set_new(o, "key", json_string(v));
        json_array_append_new(arr, o);
    }
    return arr;
}

/* Writes the block of markup lines collected in c->lines, headed by a part
 * label "(a)" and its question (either may be NULL), then empties c->lines. */
static void flush_block(ctx *c, size_t ex, int part, const char *question)
{
    const char *lines = fms_strbuf_str(&c->lines);
    const fms_exercise *x = &c->set->ex[ex];
    if (c->fmt == FMS_FORMAT_JSON) {
        json_t *o = json_object();
        char id[FMS_ID_MAX + 2];
        snprintf(id, sizeof id, "%s", x->id);
        if (part >= 0)
            id[strlen(id) + 1] = '\0', id[strlen(id)] = (char)('a' + part);
        json_object_set_new(o, "id", json_string(id));
        if (part >= 0)
            json_object_set_new(o, "kind", json_string(fms_exset_part_kind_name(x->parts[part].kind)));
        if (question)
            json_object_set_new(o, "question", json_string(question));
        json_t *steps = json_array();
        for (const char *p = lines; *p;) {
            size_t n = strcspn(p, "\n");
            fms_strbuf one = { 0 };
            put_text_line(&one, p, n);
            json_array_append_new(steps, json_string(fms_strbuf_str(&one)));
            fms_strbuf_free(&one);
            p += n + (p[n] == '\n');
        }
        json_object_set_new(o, "steps", steps);
        json_object_set_new(o, "answers", json_answers(c, ex, part));
        json_array_append_new(c->jparts, o);
    } else if (c->fmt == FMS_FORMAT_TEXT) {
        if (part >= 0) {
            fms_strbuf_printf(c->out, "(%c) ", 'a' + part);
            put_wrapped(c->out, question ? question : "", 4, 4);
            fms_strbuf_puts(c->out, "\n");
        }
        for (const char *p = lines; *p;) {
            size_t n = strcspn(p, "\n");
            size_t lead = 0;
            while (lead < n && p[lead] == ' ')
                lead++;
            fms_strbuf one = { 0 };
            put_text_line(&one, p + lead, n - lead);
            if (n > 0) {
                for (size_t i = 0; i < 4 + lead; i++)
                    fms_strbuf_puts(c->out, " ");
                /* Long steps wrap under themselves, two columns in. */
                put_wrapped(c->out, fms_strbuf_str(&one), 4 + lead, 4 + lead + (lead ? 2 : 0));
            }
            fms_strbuf_free(&one);
            fms_strbuf_puts(c->out, "\n");
            p += n + (p[n] == '\n');
        }
        fms_strbuf_puts(c->out, "\n");
    } else {
        if (part >= 0) {
            fms_strbuf_printf(c->out, "**(%c)** ", 'a' + part);
            fms_strbuf_puts(c->out, question ? question : "");
            fms_strbuf_puts(c->out, "\n\n");
        }
        for (const char *p = lines; *p;) {
            size_t n = strcspn(p, "\n");
            if (n > 0) {
                fms_strbuf_puts(c->out, "- ");
                /* Leading spaces mark sub-steps in text; Markdown nests them. */
                size_t lead = 0;
                while (lead < n && p[lead] == ' ')
                    lead++;
                if (lead > 0) {
                    c->out->len -= 2;
                    c->out->data[c->out->len] = '\0';
                    fms_strbuf_puts(c->out, "  - ");
                }
                put_md_line(c->out, p + lead, n - lead);
            }
            fms_strbuf_puts(c->out, "\n");
            p += n + (p[n] == '\n');
        }
        fms_strbuf_puts(c->out, "\n");
    }
    fms_strbuf_reset(&c->lines);
}

/* ---- the exercises ---------------------------------------------------- */

#define MINUS "\xE2\x88\x92"
#define IMPLIES "\xE2\x87\x92"

/* Joins "$ε_A = …$, $ε_B = …$" for the final line of a part. */
static void answer_line(ctx *c, const char *sym, const double *vals, const double *logw)
{
    const fms_data *d = c->set->data;
    numring r = { .next = 0 };
    fms_strbuf line = { 0 };
    fms_strbuf_puts(&line, IMPLIES " ");
    size_t shown = d->n <= 8 ? d->n : 8;
    for (size_t k = 0; k < shown; k++) {
        r.next = 0;
        if (logw)
            fms_strbuf_printf(&line, "%s$%s(%s | x_t, t) = %s$", k ? ", " : "", sym, d->labels[k], NW(&r, logw[k]));
        else
            fms_strbuf_printf(&line, "%s$%s_%s = %s$", k ? ", " : "", sym, d->labels[k], N(&r, vals[k]));
    }
    if (shown < d->n)
        fms_strbuf_printf(&line, ", ... (%zu values; see the list above or 'fmsolve key')", d->n);
    step(c, "%s", fms_strbuf_str(&line));
    fms_strbuf_free(&line);
}

static void part_eps(ctx *c, const fms_exercise *x)
{
    const fms_data *d = c->set->data;
    numring r = { .next = 0 };
    step(c, "From L4, $x_t = (1 " MINUS " t)·ε + t·x1$, so the noise that leads from x1 to x_t is "
            "$ε = (x_t " MINUS " t·x1)/(1 " MINUS " t)$.");
    if (x->t == 0.0)
        step(c, "At $t = 0$, $x_t = ε$ whatever x1 is: every data point needs the same noise.");
    double *vals = malloc(d->n * sizeof *vals);
    for (size_t k = 0; k < d->n; k++) {
        r.next = 0;
        step(c, "  $x1 = %s$:  $ε = (%s " MINUS " %s·%s)/(1 " MINUS " %s) %s %s$", d->labels[k], N(&r, x->x_t),
             N(&r, x->t), NP(&r, d->x[k]), N(&r, x->t), EQ(c->comp[k].eps), N(&r, c->comp[k].eps));
        if (vals)
            vals[k] = c->comp[k].eps;
    }
    if (vals)
        answer_line(c, "ε", vals, NULL);
    free(vals);
}

static void part_target(ctx *c, const fms_exercise *x)
{
    const fms_data *d = c->set->data;
    numring r = { .next = 0 };
    (void)x;
    step(c, "From L5, $u = x1 " MINUS " ε$ (equivalently $u = (x1 " MINUS " x_t)/(1 " MINUS " t)$).");
    double *vals = malloc(d->n * sizeof *vals);
    for (size_t k = 0; k < d->n; k++) {
        r.next = 0;
        step(c, "  $x1 = %s$:  $u = %s " MINUS " %s %s %s$", d->labels[k], N(&r, d->x[k]), NP(&r, c->comp[k].eps),
             EQ(c->comp[k].u), N(&r, c->comp[k].u));
        if (vals)
            vals[k] = c->comp[k].u;
    }
    if (vals)
        answer_line(c, "u", vals, NULL);
    free(vals);
}

/* Indices of the most and the second most likely labels. */
static void top_two(const fms_component *comp, size_t n, size_t *first, size_t *second)
{
    *first = 0;
    for (size_t k = 1; k < n; k++)
        if (comp[k].log_weight > comp[*first].log_weight)
            *first = k;
    *second = *first == 0 && n > 1 ? 1 : 0;
    for (size_t k = 0; k < n; k++)
        if (k != *first && comp[k].log_weight > comp[*second].log_weight)
            *second = k;
}

/* The posterior equals the prior (to rounding): x_t says nothing about x1. */
static int posterior_is_prior(const fms_data *d, const fms_component *comp)
{
    for (size_t k = 0; k < d->n; k++)
        if (fabs(comp[k].log_weight - d->log_prob[k]) > 1e-12)
            return 0;
    return 1;
}

static void part_share(ctx *c, const fms_exercise *x)
{
    const fms_data *d = c->set->data;
    numring r = { .next = 0 };
    (void)x;
    step(c, "L1" "\xE2\x80\x93" "L4 reach (x_t, t) from $x1 = k$ only through $ε_k$, with density "
            "$p(k)·φ(ε_k)/(1 " MINUS " t)$ (φ is the N(0, 1) density). The factor $1/(1 " MINUS " t)$ and "
            "φ's constant are the same for every x1 and cancel:");
    step(c, "$P(x1 = k | x_t, t) ∝ p(k)·exp(" MINUS "ε_k²/2)$");
    for (size_t k = 0; k < d->n; k++) {
        r.next = 0;
        step(c, "  %s:  $%s·exp(" MINUS "%s²/2) = %s·exp(%s)$", d->labels[k], N(&r, d->prob[k]), NP(&r, c->comp[k].eps),
             N(&r, d->prob[k]), N(&r, -0.5 * c->comp[k].eps * c->comp[k].eps));
    }
    size_t k1, k2;
    top_two(c->comp, d->n, &k1, &k2);
    if (d->n >= 2) {
        r.next = 0;
        double lo = c->comp[k1].log_weight - c->comp[k2].log_weight;
        int same_prior = fabs(d->log_prob[k1] - d->log_prob[k2]) < 1e-15;
        const char *pre = same_prior ? "" : "(p_%s/p_%s)·";
        char prefix[96];
        snprintf(prefix, sizeof prefix, pre, d->labels[k1], d->labels[k2]);
        if (lo == 0.0)
            step(c, "odds %s : %s = 1 : 1", d->labels[k1], d->labels[k2]);
        else
            step(c, "odds %s : %s = $%sexp((ε_%s² " MINUS " ε_%s²)/2) = e^%s %s %s$ : 1", d->labels[k1], d->labels[k2],
                 prefix, d->labels[k2], d->labels[k1], N(&r, lo), lo > 700 ? "\xE2\x89\x88" : EQ(exp(lo)), NE(&r, lo));
    }
    double *logw = malloc(d->n * sizeof *logw);
    if (logw) {
        for (size_t k = 0; k < d->n; k++)
            logw[k] = c->comp[k].log_weight;
        answer_line(c, "P", NULL, logw);
    }
    free(logw);
    if (posterior_is_prior(d, c->comp)) {
        step(c, "Here the posterior equals the prior: x_t tells nothing about x1, so the loop supervises toward "
                "each data point exactly as often as it samples it.");
    } else {
        size_t least = 0;
        for (size_t k = 1; k < d->n; k++)
            if (c->comp[k].log_weight < c->comp[least].log_weight)
                least = k;
        if (c->comp[least].log_weight < log(1e-6)) {
            r.next = 0;
            step(c, "Supervision toward %s is rare, not impossible: about once in $%s$ visits to this (x_t, t).",
                 d->labels[least], NE(&r, -c->comp[least].log_weight));
        }
    }
}

/* Appends "w·u + w·u" with numbers, for up to four labels. */
static void weighted_sum(fms_strbuf *b, const fms_data *d, const fms_component *comp)
{
    numring r = { .next = 0 };
    for (size_t k = 0; k < d->n; k++) {
        r.next = 0;
        const char *w = NW(&r, comp[k].log_weight);
        int paren = strchr(w, ' ') != NULL;
        fms_strbuf_printf(b, "%s%s%s%s·%s", k ? " + " : "", paren ? "(" : "", w, paren ? ")" : "", NP(&r, comp[k].u));
    }
}

/* Where the velocity points: a data point's label, or a description. */
static void describe_target(ctx *c, const fms_exercise *x, const fms_posterior *p, char *out, size_t cap)
{
    const fms_data *d = c->set->data;
    double spread = fms_data_spread(d);
    double tol = 1e-6 * (spread > 0 ? spread : 1.0);
    for (size_t k = 0; k < d->n; k++)
        if (fabs(p->x1_mean - d->x[k]) <= tol) {
            snprintf(out, cap, "at %s", d->labels[k]);
            return;
        }
    int at_mean = fabs(p->x1_mean - fms_data_mean(d)) <= tol;
    char none[2 * FMS_LABEL_MAX + 32];
    if (d->n == 2)
        snprintf(none, sizeof none, "neither %s nor %s", d->labels[0], d->labels[1]);
    else
        snprintf(none, sizeof none, "at no data point");
    if (at_mean)
        snprintf(out, cap, "at the mean of the data, %s", none);
    else
        snprintf(out, cap, "between the data points, %s", none);
    (void)x;
}

static void part_limit(ctx *c, const fms_exercise *x, const fms_posterior *p)
{
    const fms_data *d = c->set->data;
    numring r = { .next = 0 };
    const char *xs = N(&r, x->x_t), *ts = N(&r, x->t);
    double spread = fms_data_spread(d);
    int near_zero = p->velocity != 0.0 && fabs(p->velocity) <= 1e-6 * (spread > 0 ? spread : 1.0);
    step(c, "L6 minimises $E‖u_θ(x_t, t) " MINUS " u‖²$; the minimiser at each (x_t, t) is the average of the "
            "targets the loop produces there, weighted by how often it produces them (the posterior of x1):");
    if (d->n <= 4) {
        fms_strbuf sum = { 0 };
        weighted_sum(&sum, d, c->comp);
        r.next = 2;
        step(c, "$u_θ(%s, %s) → Σ P(x1 | x_t, t)·u(x1) = %s %s %s$%s", xs, ts, fms_strbuf_str(&sum), EQ(p->velocity),
             N(&r, p->velocity), near_zero ? " $\xE2\x89\x88 0$" : "");
        fms_strbuf_free(&sum);
    } else {
        r.next = 2;
        step(c, "$u_θ(%s, %s) → Σ_k P(x1 = k | x_t, t)·u_k %s %s$%s  (over the %zu data points)", xs, ts, EQ(p->velocity),
             N(&r, p->velocity), near_zero ? " $\xE2\x89\x88 0$" : "", d->n);
    }
    char where[160];
    describe_target(c, x, p, where, sizeof where);
    r.next = 2;
    step(c, "It points at $E[x1 | x_t, t] = x_t + (1 " MINUS " t)·v %s %s$: %s.", EQ(p->x1_mean), N(&r, p->x1_mean), where);
    if (x->t == 0.0)
        step(c, "(At $t = 0$ the field is $E[x1] " MINUS " x_t$ everywhere: every point heads for the mean of the data.)");
    r.next = 2;
    step(c, IMPLIES " $u_θ(%s, %s) → %s$%s; it points %s", xs, ts, N(&r, p->velocity), near_zero ? " $\xE2\x89\x88 0$" : "",
         where);
}

/* The question of a part when the sheet gives none: what the kind asks, at this point. */
static const char *default_question(const fms_exercise *x, size_t p, char *buf, size_t cap)
{
    char xs[FMS_NUM_MAX], ts[FMS_NUM_MAX];
    fms_numfmt_text(x->x_t, SIG, xs);
    fms_numfmt_text(x->t, SIG, ts);
    switch (x->parts[p].kind) {
    case FMS_PART_EPS:
        snprintf(buf, cap, "Which ε produced x_t = %s at t = %s, for each x1?", xs, ts);
        break;
    case FMS_PART_TARGET:
        snprintf(buf, cap, "What is the target velocity u for each x1?");
        break;
    case FMS_PART_SHARE:
        snprintf(buf, cap, "How often does the training loop supervise toward each x1 at this (x_t, t)?");
        break;
    case FMS_PART_LIMIT:
        snprintf(buf, cap, "What does u_θ(%s, %s) converge to, and where does it point?", xs, ts);
        break;
    }
    return buf;
}

static fms_status render_point(ctx *c, size_t ex, int only)
{
    const fms_exercise *x = &c->set->ex[ex];
    fms_posterior post;
    fms_status st = fms_exset_eval(c->set->data, x, c->comp, &post, c->err);
    if (st != FMS_OK)
        return st;
    for (size_t p = 0; p < x->nparts; p++) {
        if (only >= 0 && (size_t)only != p)
            continue;
        switch (x->parts[p].kind) {
        case FMS_PART_EPS: part_eps(c, x); break;
        case FMS_PART_TARGET: part_target(c, x); break;
        case FMS_PART_SHARE: part_share(c, x); break;
        case FMS_PART_LIMIT: part_limit(c, x, &post); break;
        }
        char q[256];
        flush_block(c, ex, (int)p, x->parts[p].question ? x->parts[p].question : default_question(x, p, q, sizeof q));
    }
    return FMS_OK;
}

/* One side of a comparison: noises, posterior and limit at point exercise y. */
static void compare_side(ctx *c, const fms_exercise *y, const fms_posterior *p)
{
    const fms_data *d = c->set->data;
    numring r = { .next = 0 };
    fms_strbuf a = { 0 }, b = { 0 };
    size_t shown = d->n <= 4 ? d->n : 4;
    for (size_t k = 0; k < shown; k++) {
        r.next = 0;
        fms_strbuf_printf(&a, "%s$ε_%s = %s$", k ? ", " : "", d->labels[k], N(&r, c->comp[k].eps));
        fms_strbuf_printf(&b, "%s$P(%s) = %s$", k ? ", " : "", d->labels[k], NW(&r, c->comp[k].log_weight));
    }
    if (shown < d->n) {
        fms_strbuf_puts(&a, ", ...");
        fms_strbuf_puts(&b, ", ...");
    }
    r.next = 0;
    step(c, "  %s ($t = %s$): candidate noises %s", y->id, N(&r, y->t), fms_strbuf_str(&a));
    step(c, "    posterior %s", fms_strbuf_str(&b));
    fms_strbuf_reset(&a);
    if (d->n <= 4)
        weighted_sum(&a, d, c->comp);
    else
        fms_strbuf_puts(&a, "Σ_k P(k)·u_k");
    r.next = 0;
    step(c, "    $u_θ → %s %s %s$", fms_strbuf_str(&a), EQ(p->velocity), N(&r, p->velocity));
    fms_strbuf_free(&a);
    fms_strbuf_free(&b);
}

/* Why one side's posterior is what it is, in words with its numbers. */
static void compare_reason(ctx *c, const fms_exercise *y, const fms_posterior *p)
{
    const fms_data *d = c->set->data;
    numring r = { .next = 0 };
    if (posterior_is_prior(d, c->comp)) {
        step(c, "At $t = %s$, x_t = ε carries no information about x1: the posterior is the prior, so u_θ "
                "averages the targets of all data points and points at their mean.", N(&r, y->t));
        return;
    }
    size_t k1, k2;
    top_two(c->comp, d->n, &k1, &k2);
    double lo = c->comp[k1].log_weight - c->comp[k2].log_weight;
    r.next = 0;
    step(c, "At $t = %s$, reaching $x_t = %s$ from %s needs $ε = %s$, from %s $ε = %s$: %s is $e^%s %s %s$ times "
            "more likely, so the supervision is %s toward %s and u_θ %s $u_%s = %s$.",
         N(&r, y->t), N(&r, y->x_t), d->labels[k2], N(&r, c->comp[k2].eps), d->labels[k1], N(&r, c->comp[k1].eps),
         d->labels[k1], N(&r, lo), lo > 700 ? "\xE2\x89\x88" : EQ(exp(lo)), NE(&r, lo),
         c->comp[k1].weight > 1 - 1e-6 ? "almost all" : "mostly", d->labels[k1],
         c->comp[k1].weight > 1 - 1e-6 ? "\xE2\x89\x88" : "leans to", d->labels[k1], N(&r, c->comp[k1].u));
    (void)p;
}

static fms_status render_compare(ctx *c, size_t ex)
{
    const fms_exercise *x = &c->set->ex[ex];
    const fms_data *d = c->set->data;
    fms_posterior post[2];
    const fms_exercise *y[2];
    numring r = { .next = 0 };
    for (int s = 0; s < 2; s++)
        y[s] = &c->set->ex[x->compare[s]];
    if (y[0]->x_t == y[1]->x_t)
        step(c, "Both points have $x_t = %s$; what differs is t, and with it how much x_t reveals about x1.",
             N(&r, y[0]->x_t));
    else
        step(c, "The two points differ in x_t and in t; what matters is how much x_t reveals about x1.");
    /* Each side is evaluated once; the helpers read the side's weights from c->comp. */
    fms_component *side[2] = { c->comp, c->comp2 };
    for (int s = 0; s < 2; s++) {
        c->comp = side[s];
        fms_status st = fms_exset_eval(d, y[s], c->comp, &post[s], c->err);
        if (st == FMS_OK)
            compare_side(c, y[s], &post[s]);
        c->comp = side[0];
        if (st != FMS_OK)
            return st;
    }
    double spread = fms_data_spread(d);
    r.next = 0;
    step(c, "Why: the candidate noises $ε_k = (x_t " MINUS " t·x_k)/(1 " MINUS " t)$ spread over $t/(1 " MINUS
            " t)·(max x_k " MINUS " min x_k)$: %s at $t = %s$ and %s at $t = %s$. The wider they spread, the more "
            "one of them is a typical N(0, 1) draw and the others are not, so x_t identifies x1.",
         N(&r, y[0]->t / (1 - y[0]->t) * spread), N(&r, y[0]->t), N(&r, y[1]->t / (1 - y[1]->t) * spread), N(&r, y[1]->t));
    for (int s = 0; s < 2; s++) {
        c->comp = side[s];
        compare_reason(c, y[s], &post[s]);
    }
    c->comp = side[0];
    r.next = 0;
    step(c, IMPLIES " $u_θ(%s, %s) → %s$ but $u_θ(%s, %s) → %s$%s", N(&r, y[0]->x_t), N(&r, y[0]->t),
         N(&r, post[0].velocity), N(&r, y[1]->x_t), N(&r, y[1]->t), N(&r, post[1].velocity),
         post[1].velocity != 0 && fabs(post[1].velocity) <= 1e-6 * (spread > 0 ? spread : 1) ? " $\xE2\x89\x88 0$" : "");
    flush_block(c, ex, -1, NULL);
    return FMS_OK;
}

static fms_status render_eps_to_velocity(ctx *c, size_t ex)
{
    const fms_exset *set = c->set;
    numring r = { .next = 0 };
    step(c, "From the interpolation, for $t > 0$:");
    step(c, "  $x_t = (1 " MINUS " t)·ε + t·x_clean$   " IMPLIES "   $x_clean = (x_t " MINUS " (1 " MINUS " t)·ε)/t$");
    step(c, "Substitute into the velocity $u = x_clean " MINUS " ε$:");
    step(c, "  $u = (x_t " MINUS " (1 " MINUS " t)·ε)/t " MINUS " ε = (x_t " MINUS " (1 " MINUS " t)·ε " MINUS
            " t·ε)/t = (x_t " MINUS " ε)/t$");
    step(c, IMPLIES " $u = (x_t " MINUS " ε)/t$   (for $t > 0$)");
    step(c, "Equivalently, with $ε = (x_t " MINUS " t·x_clean)/(1 " MINUS " t)$: $u = (x_clean " MINUS " x_t)/(1 " MINUS
            " t)$ (for $t < 1$).");
    step(c, "For a model: $u_θ(x_t, t) = (x_t " MINUS " ε_θ(x_t, t))/t$. The map is linear in ε, so the exact "
            "ε-predictor $ε̂ = E[ε | x_t, t]$ gives exactly the exact velocity $v = E[x1 " MINUS " ε | x_t, t]$.");
    int any = 0;
    for (size_t i = 0; i < set->n; i++) {
        const fms_exercise *y = &set->ex[i];
        if (y->kind != FMS_EX_POINT || y->t == 0.0)
            continue;
        fms_posterior p;
        fms_status st = fms_exset_eval(set->data, y, NULL, &p, c->err);
        if (st != FMS_OK)
            return st;
        if (!any)
            step(c, "Check at this sheet's points with $t > 0$ (ε̂ and v from the engine):");
        any = 1;
        double lhs = (y->x_t - p.eps_mean) / y->t;
        double diff = fabs(lhs - p.velocity);
        double size = (fabs(y->x_t) + fabs(p.eps_mean)) / y->t + fabs(p.velocity);
        int ok = diff <= 64 * DBL_EPSILON * size;
        r.next = 0;
        step(c, "  %s ($x_t = %s$, $t = %s$): $ε̂ %s %s$, $(x_t " MINUS " ε̂)/t %s %s$, $v %s %s$  %s", y->id,
             N(&r, y->x_t), N(&r, y->t), EQ(p.eps_mean), N(&r, p.eps_mean), EQ(lhs), N(&r, lhs), EQ(p.velocity),
             N(&r, p.velocity), ok ? "\xE2\x9C\x93" : "\xE2\x9C\x97");
        if (diff > 0) {
            r.next = 0;
            step(c, "    (they differ by $%s$: ε̂ is rounded to a double before the subtraction)", N(&r, diff));
        }
    }
    flush_block(c, ex, -1, NULL);
    return FMS_OK;
}

static fms_status render_euler_eps(ctx *c, size_t ex)
{
    const fms_exset *set = c->set;
    const fms_data *d = set->data;
    numring r = { .next = 0 };
    double mean = fms_data_mean(d);
    step(c, "The sampler's step is $x_{t+Δt} = x_t + Δt·u_θ(x_t, t)$. Put 2.1's formula, with the model's $ε_θ$, "
            "in place of $u_θ$:");
    step(c, IMPLIES " $x_{t+Δt} = x_t + Δt·(x_t " MINUS " ε_θ(x_t, t))/t$");
    step(c, "At $t = 0$ this is 0/0: $x_0 = ε$ exactly, so a perfect model returns $ε_θ(x_0, 0) = x_0$ and the "
            "numerator vanishes with t. The limit is the exact velocity at $t = 0$, $v(x, 0) = E[x1] " MINUS " x$, "
            "with $E[x1] = %s$ for this data. So a sampler either starts at a small $t_0 > 0$, or takes its first "
            "step with $u = E[x1] " MINUS " x_0$.", N(&r, mean));
    step(c, "One step from each of this sheet's points, with the exact $ε_θ = ε̂$:");
    for (size_t i = 0; i < set->n; i++) {
        const fms_exercise *y = &set->ex[i];
        if (y->kind != FMS_EX_POINT)
            continue;
        fms_posterior p;
        fms_status st = fms_exset_eval(d, y, NULL, &p, c->err);
        if (st != FMS_OK)
            return st;
        double dt = 0.1 < 1.0 - y->t ? 0.1 : 1.0 - y->t;
        r.next = 0;
        if (y->t > 0.0) {
            double next = y->x_t + dt * (y->x_t - p.eps_mean) / y->t;
            step(c, "  %s: $ε̂(%s, %s) %s %s$   " IMPLIES "   $x_{%s} = %s + %s·(%s " MINUS " %s)/%s %s %s$", y->id,
                 N(&r, y->x_t), N(&r, y->t), EQ(p.eps_mean), N(&r, p.eps_mean), N(&r, y->t + dt), N(&r, y->x_t),
                 N(&r, dt), N(&r, y->x_t), NP(&r, p.eps_mean), N(&r, y->t), EQ(next), N(&r, next));
        } else {
            double next = y->x_t + dt * (mean - y->x_t);
            step(c, "  %s: at $t = 0$ the formula is 0/0; with the limit, $x_{%s} = %s + %s·(%s " MINUS " %s) %s %s$", y->id,
                 N(&r, dt), N(&r, y->x_t), N(&r, dt), N(&r, mean), NP(&r, y->x_t), EQ(next), N(&r, next));
        }
    }
    /* The limit, watched: (x − ε̂(x, t))/t as t → 0 at the first t = 0 point (or at x = 1). */
    double x0 = 1.0;
    for (size_t i = 0; i < set->n; i++)
        if (set->ex[i].kind == FMS_EX_POINT && set->ex[i].t == 0.0) {
            x0 = set->ex[i].x_t;
            break;
        }
    static const double small_t[] = { 1e-2, 1e-4, 1e-6 };
    double q[3];
    for (int i = 0; i < 3; i++) {
        fms_posterior p;
        fms_status st = fms_engine_eval_l(d, small_t[i], x0, NULL, &p, c->err);
        if (st != FMS_OK)
            return st;
        q[i] = (x0 - p.eps_mean) / small_t[i];
    }
    r.next = 0;
    step(c, "The limit, watched at $x = %s$: $(x " MINUS " ε̂(x, t))/t = %s$ (t = 10^-2), $%s$ (t = 10^-4), $%s$ (t = 10^-6)",
         N(&r, x0), N(&r, q[0]), N(&r, q[1]), N(&r, q[2]));
    r.next = 0;
    step(c, "  " "\xE2\x86\x92" " $E[x1] " MINUS " x = %s$.", N(&r, mean - x0));
    flush_block(c, ex, -1, NULL);
    return FMS_OK;
}

static void exercise_header(ctx *c, const fms_exercise *x, int part)
{
    if (c->fmt == FMS_FORMAT_TEXT) {
        (void)part;
        fms_strbuf_printf(c->out, "%s  ", x->id);
        size_t w = strlen(x->id) + 2;
        if (x->text)
            put_wrapped(c->out, x->text, w, w);
        else if (x->kind == FMS_EX_POINT) {
            char xs[FMS_NUM_MAX], ts[FMS_NUM_MAX];
            fms_numfmt_text(x->x_t, SIG, xs);
            fms_numfmt_text(x->t, SIG, ts);
            fms_strbuf_printf(c->out, "The point x_t = %s, t = %s.", xs, ts);
        } else if (x->kind == FMS_EX_COMPARE) {
            fms_strbuf_printf(c->out, "Compare %s and %s: why do their limits differ?", c->set->ex[x->compare[0]].id,
                              c->set->ex[x->compare[1]].id);
        } else if (x->kind == FMS_EX_EPS_TO_VELOCITY) {
            fms_strbuf_puts(c->out, "Derive the velocity u from x_t, ε and t.");
        } else {
            fms_strbuf_puts(c->out, "Rewrite the Euler step with an ε-prediction model.");
        }
        fms_strbuf_puts(c->out, "\n\n");
    } else if (c->fmt == FMS_FORMAT_MARKDOWN) {
        fms_strbuf_printf(c->out, "## %s\n\n", x->id);
        if (x->text)
            fms_strbuf_printf(c->out, "> %s\n\n", x->text);
    }
}

fms_status fms_render_exercise(const fms_exset *set, const fms_key *key, size_t ex, int part,
                               fms_format fmt, fms_strbuf *out, fms_error *err)
{
    if (ex >= set->n)
        return fms_error_set(err, FMS_ENOTFOUND, 0, "no exercise number %zu", ex);
    const fms_exercise *x = &set->ex[ex];
    if (part >= 0 && (x->kind != FMS_EX_POINT || (size_t)part >= x->nparts))
        return fms_error_set(err, FMS_ENOTFOUND, 0, "exercise %s has no part %c", x->id, 'a' + part);
    ctx c = { .set = set, .key = key, .fmt = fmt, .out = out, .err = err };
    c.comp = calloc(set->data->n, sizeof *c.comp);
    c.comp2 = calloc(set->data->n, sizeof *c.comp2);
    if (c.comp == NULL || c.comp2 == NULL) {
        free(c.comp);
        free(c.comp2);
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    }
    if (fmt == FMS_FORMAT_JSON)
        c.jparts = json_array();
    /* The header without a part letter: a single part is shown under its exercise's text. */
    exercise_header(&c, x, -1);
    fms_status st = FMS_OK;
    switch (x->kind) {
    case FMS_EX_POINT: st = render_point(&c, ex, part); break;
    case FMS_EX_COMPARE: st = render_compare(&c, ex); break;
    case FMS_EX_EPS_TO_VELOCITY: st = render_eps_to_velocity(&c, ex); break;
    case FMS_EX_EULER_EPS: st = render_euler_eps(&c, ex); break;
    }
    if (st == FMS_OK && fmt == FMS_FORMAT_JSON) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_string(x->id));
        json_object_set_new(o, "kind", json_string(fms_exset_kind_name(x->kind)));
        if (x->text)
            json_object_set_new(o, "text", json_string(x->text));
        if (x->kind == FMS_EX_POINT) {
            json_object_set_new(o, "t", jnum(x->t));
            json_object_set_new(o, "x_t", jnum(x->x_t));
        }
        if (x->kind == FMS_EX_COMPARE) {
            json_t *ids = json_array();
            json_array_append_new(ids, json_string(set->ex[x->compare[0]].id));
            json_array_append_new(ids, json_string(set->ex[x->compare[1]].id));
            json_object_set_new(o, "compare", ids);
        }
        json_object_set_new(o, "parts", c.jparts);
        c.jparts = NULL;
        st = fms_json_append(out, o, err);
    }
    /* Read the scratch buffer's allocation status before freeing it resets the flag. */
    int lines_failed = fms_strbuf_status(&c.lines) != FMS_OK;
    json_decref(c.jparts);
    fms_strbuf_free(&c.lines);
    free(c.comp);
    free(c.comp2);
    if (st == FMS_OK && (fms_strbuf_status(out) != FMS_OK || lines_failed))
        st = fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    return st;
}

fms_status fms_render_all(const fms_exset *set, const fms_key *key, fms_format fmt,
                          fms_strbuf *out, fms_error *err)
{
    const fms_data *d = set->data;
    if (fmt == FMS_FORMAT_JSON) {
        fms_strbuf_puts(out, "{\n\"title\": ");
        json_t *title = json_string(set->title ? set->title : "");
        char *s = fms_json_text(title);
        json_decref(title);
        if (s == NULL)
            return fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
        fms_strbuf_puts(out, s);
        free(s);
        fms_strbuf_puts(out, ",\n\"data\": ");
        json_t *arr = json_array();
        for (size_t k = 0; k < d->n; k++) {
            json_t *o = json_object();
            json_object_set_new(o, "label", json_string(d->labels[k]));
            json_object_set_new(o, "x1", jnum(d->x[k]));
            json_object_set_new(o, "prob", jnum(d->prob[k]));
            json_array_append_new(arr, o);
        }
        fms_status st = fms_json_append(out, arr, err);
        if (st != FMS_OK)
            return st;
        out->data[--out->len] = '\0'; /* the newline fms_json_append wrote */
        fms_strbuf_puts(out, ",\n\"exercises\": [\n");
        for (size_t i = 0; i < set->n; i++) {
            if (i > 0)
                fms_strbuf_puts(out, ",\n");
            st = fms_render_exercise(set, key, i, -1, fmt, out, err);
            if (st != FMS_OK)
                return st;
            out->data[--out->len] = '\0';
        }
        fms_strbuf_puts(out, "\n]\n}\n");
        return fms_strbuf_status(out) == FMS_OK ? FMS_OK : fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    }
    numring r = { .next = 0 };
    const char *title = set->title ? set->title : "Flow matching exercises";
    fms_strbuf data = { 0 };
    for (size_t k = 0; k < d->n && k < 8; k++) {
        r.next = 0;
        fms_strbuf_printf(&data, "%s%s = %s (p = %s)", k ? ", " : "", d->labels[k], N(&r, d->x[k]), N(&r, d->prob[k]));
    }
    if (d->n > 8)
        fms_strbuf_printf(&data, ", ... (%zu points)", d->n);
    if (fmt == FMS_FORMAT_MARKDOWN) {
        fms_strbuf_printf(out, "# %s\n\n", title);
        fms_strbuf_printf(out, "Data: %s. Path $x_t = (1 - t)\\varepsilon + t x_1$, "
                               "$\\varepsilon \\sim N(0, 1)$, target $u = x_1 - \\varepsilon$.\n\n",
                          fms_strbuf_str(&data));
    } else {
        fms_strbuf_printf(out, "%s\n", title);
        size_t w = text_width(title, strlen(title));
        for (size_t i = 0; i < w; i++)
            fms_strbuf_puts(out, "=");
        fms_strbuf_puts(out, "\nData: ");
        put_wrapped(out, fms_strbuf_str(&data), 6, 6);
        fms_strbuf_puts(out, ".\nPath: x_t = (1 " MINUS " t)·ε + t·x1 with ε ~ N(0, 1); target u = x1 " MINUS " ε.\n\n");
    }
    fms_strbuf_free(&data);
    for (size_t i = 0; i < set->n; i++) {
        fms_status st = fms_render_exercise(set, key, i, -1, fmt, out, err);
        if (st != FMS_OK)
            return st;
    }
    return fms_strbuf_status(out) == FMS_OK ? FMS_OK : fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
}
