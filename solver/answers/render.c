/* render.c — see render.h. */
#include "answers/render.h"

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "answers/build.h"
#include "answers/render_doc.h"
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
    else if (strcmp(name, "latex") == 0 || strcmp(name, "tex") == 0)
        *out = FMS_FORMAT_LATEX;
    else
        return FMS_EINVAL;
    return FMS_OK;
}

/* ---- JSON helpers ------------------------------------------------------ */

/* ---- list, key, query -------------------------------------------------- */

/* Appends the start of text that fits in width columns, with "…" when cut. */
static void put_clipped(fms_strbuf *out, const char *text, size_t width)
{
    size_t n = strlen(text);
    if (fms_render_text_width(text, n) <= width) {
        fms_strbuf_puts(out, text);
        return;
    }
    size_t cut = 0;
    while (cut < n && fms_render_text_width(text, cut) < width - 1)
        cut++;
    while (cut < n && fms_utf8_is_cont((unsigned char)text[cut]))
        cut++; /* never split a character */
    fms_strbuf_putn(out, text, cut);
    fms_strbuf_puts(out, "\xE2\x80\xA6");
}

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
            if (x->nparts == 1)
                fms_strbuf_printf(&head, "%-5s x_t = %s, t = %s, part a", x->id, xs, ts);
            else
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
        case FMS_EX_CONVERT:
            fms_strbuf_printf(&head, "%-5s %s to %s", x->id, fms_param_title(x->from), fms_param_title(x->to));
            break;
        case FMS_EX_EULER:
            fms_strbuf_printf(&head, "%-5s Euler step, %s model", x->id, fms_param_title(x->model));
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
        fms_strbuf_puts(out, key->items[i].id);
        fms_strbuf_putn(out, " = ", 3);
        fms_strbuf_puts(out, v);
        fms_strbuf_putn(out, "\n", 1);
    }
    return fms_strbuf_status(out) == FMS_OK ? FMS_OK : fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
}

typedef struct query_ctx {
    const fms_data *d;
    const fms_component *comp;
} query_ctx;

/* Data point k of a query as JSON. */
static json_t *query_component(size_t k, void *ctx)
{
    const query_ctx *q = ctx;
    json_t *c = json_object();
    json_object_set_new(c, "label", json_string(q->d->labels[k]));
    json_object_set_new(c, "x1", fms_render_json_num(q->d->x[k]));
    json_object_set_new(c, "prob", fms_render_json_num(q->d->prob[k]));
    json_object_set_new(c, "eps", fms_render_json_num(q->comp[k].eps));
    json_object_set_new(c, "u", fms_render_json_num(q->comp[k].u));
    json_object_set_new(c, "log_weight", fms_render_json_num(q->comp[k].log_weight));
    json_object_set_new(c, "weight", fms_render_json_num(q->comp[k].weight));
    return c;
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
        json_object_set_new(root, "t", fms_render_json_num((double)t));
        json_object_set_new(root, "x_t", fms_render_json_num((double)x_t));
        json_object_set_new(root, "components", json_array()); /* streamed in below */
        json_object_set_new(root, "velocity", fms_render_json_num(post.velocity));
        json_object_set_new(root, "x1_mean", fms_render_json_num(post.x1_mean));
        json_object_set_new(root, "eps_mean", fms_render_json_num(post.eps_mean));
        query_ctx ctx = { d, comp };
        st = fms_json_append_streamed(out, root, "components", d->n, query_component, &ctx, err);
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

/* ---- worked answers: a document (build.h) through one of the writers ---- */

static fms_status oom(fms_strbuf *out, fms_error *err)
{
    return fms_strbuf_status(out) == FMS_OK ? FMS_OK : fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
}

/* Builds exercise ex and writes it in fmt (JSON: appends the object to arr). */
static fms_status one_exercise(const fms_exset *set, const fms_key *key, size_t ex, int part, fms_format fmt,
                               fms_strbuf *out, json_t *arr, fms_error *err)
{
    fms_doc d = { 0 };
    fms_status st = fms_build_exercise(set, ex, part, &d, err);
    if (st == FMS_OK) {
        switch (fmt) {
        case FMS_FORMAT_TEXT: fms_render_doc_text(&d, out); break;
        case FMS_FORMAT_MARKDOWN: fms_render_doc_md(&d, out); break;
        case FMS_FORMAT_LATEX: fms_render_doc_latex(&d, out); break;
        case FMS_FORMAT_JSON:
            if (json_array_append_new(arr, fms_render_doc_json(&d, set, key)) != 0)
                st = fms_error_set(err, FMS_ENOMEM, 0, "out of memory while building JSON");
            break;
        }
    }
    fms_doc_free(&d);
    return st;
}

fms_status fms_render_exercises(const fms_exset *set, const fms_key *key, size_t n, const size_t *ex,
                                const int *part, fms_format fmt, fms_strbuf *out, fms_error *err)
{
    json_t *arr = fmt == FMS_FORMAT_JSON ? json_array() : NULL;
    if (fmt == FMS_FORMAT_LATEX)
        fms_render_latex_begin(set->title, NULL, out);
    fms_status st = FMS_OK;
    for (size_t i = 0; st == FMS_OK && i < n; i++)
        st = one_exercise(set, key, ex[i], part[i], fmt, out, arr, err);
    if (st == FMS_OK && fmt == FMS_FORMAT_LATEX)
        fms_render_latex_end(out);
    if (st == FMS_OK && arr)
        st = fms_json_append(out, json_incref(n == 1 ? json_array_get(arr, 0) : arr), err);
    json_decref(arr);
    return st == FMS_OK ? oom(out, err) : st;
}

fms_status fms_render_exercise(const fms_exset *set, const fms_key *key, size_t ex, int part,
                               fms_format fmt, fms_strbuf *out, fms_error *err)
{
    return fms_render_exercises(set, key, 1, &ex, &part, fmt, out, err);
}

/* What the streamed exercises of all_json need, and the first failure. */
typedef struct all_ctx {
    const fms_exset *set;
    const fms_key *key;
    fms_status st;
    fms_error *err;
} all_ctx;

/* Exercise i's document as JSON, built and released in turn; NULL (and
 * ctx->st) when it cannot be built. */
static json_t *exercise_json(size_t i, void *ctx)
{
    all_ctx *c = ctx;
    if (c->st != FMS_OK)
        return NULL;
    fms_doc d = { 0 };
    json_t *o = NULL;
    c->st = fms_build_exercise(c->set, i, -1, &d, c->err);
    if (c->st == FMS_OK && (o = fms_render_doc_json(&d, c->set, c->key)) == NULL)
        c->st = fms_error_set(c->err, FMS_ENOMEM, 0, "out of memory while building JSON");
    fms_doc_free(&d);
    return o;
}

/* The set as JSON: {"title", "source", "data", "exercises"}, the exercises
 * written one at a time. */
static fms_status all_json(const fms_exset *set, const fms_key *key, fms_strbuf *out, fms_error *err)
{
    const fms_data *d = set->data;
    json_t *root = json_object(), *data = json_array(), *exs = json_array();
    json_object_set_new(root, "title", json_string(set->title ? set->title : ""));
    json_object_set_new(root, "source", json_string(set->source ? set->source : ""));
    for (size_t k = 0; k < d->n; k++) {
        json_t *o = json_object();
        json_object_set_new(o, "label", json_string(d->labels[k]));
        json_object_set_new(o, "x1", fms_render_json_num(d->x[k]));
        json_object_set_new(o, "prob", fms_render_json_num(d->prob[k]));
        json_array_append_new(data, o);
    }
    json_object_set_new(root, "data", data);
    json_object_set_new(root, "exercises", exs);
    all_ctx ctx = { set, key, FMS_OK, err };
    fms_status st = fms_json_append_streamed(out, root, "exercises", set->n, exercise_json, &ctx, err);
    return ctx.st != FMS_OK ? ctx.st : st;
}

fms_status fms_render_all(const fms_exset *set, const fms_key *key, fms_format fmt,
                          fms_strbuf *out, fms_error *err)
{
    if (fmt == FMS_FORMAT_JSON)
        return all_json(set, key, out, err);
    const char *title = set->title ? set->title : "Flow matching exercises";
    fms_doc head = { 0 };
    fms_status st = fms_build_set_header(set, &head, err);
    if (st == FMS_OK) {
        if (fmt == FMS_FORMAT_MARKDOWN)
            fms_render_head_md(title, &head, out);
        else if (fmt == FMS_FORMAT_LATEX)
            fms_render_latex_begin(title, &head, out);
        else
            fms_render_head_text(title, &head, out);
    }
    fms_doc_free(&head);
    for (size_t i = 0; st == FMS_OK && i < set->n; i++)
        st = one_exercise(set, key, i, -1, fmt, out, NULL, err);
    if (st == FMS_OK && fmt == FMS_FORMAT_LATEX)
        fms_render_latex_end(out);
    return st == FMS_OK ? oom(out, err) : st;
}
