/* render.c — see render.h. */
#include "render.h"

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "engine.h"
#include "numfmt.h"

fms_status fms_format_parse(const char *name, fms_format *out)
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

/* Appends a jansson value (consumed) with 17 significant digits, so that
 * every double round-trips, followed by a newline. */
static fms_status put_json(fms_strbuf *out, json_t *v, fms_error *err)
{
    if (v == NULL)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory while building JSON");
    char *s = json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    json_decref(v);
    if (s == NULL)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory while writing JSON");
    fms_strbuf_puts(out, s);
    fms_strbuf_puts(out, "\n");
    free(s);
    return fms_strbuf_status(out) == FMS_OK ? FMS_OK : fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
}

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

fms_status fms_render_list(const fms_exset *set, fms_strbuf *out, fms_error *err)
{
    for (size_t i = 0; i < set->n; i++) {
        const fms_exercise *x = &set->ex[i];
        fms_strbuf_printf(out, "%-6s", x->id);
        if (x->kind == FMS_EX_POINT)
            fms_strbuf_printf(out, " (x_t = %.15g, t = %.15g; parts a-%c)", x->x_t, x->t, (char)('a' + x->nparts - 1));
        if (x->text) {
            /* The first sentence or the first 60 characters, whichever is shorter. */
            const char *s = x->text;
            size_t n = strcspn(s, ".?");
            if (s[n] != '\0')
                n++;
            fms_strbuf_puts(out, "  ");
            fms_strbuf_putn(out, s, n);
        }
        fms_strbuf_puts(out, "\n");
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

fms_status fms_render_query(const fms_data *d, long double t, long double x_t, int json, fms_strbuf *out, fms_error *err)
{
    fms_component *comp = calloc(d->n, sizeof *comp);
    if (comp == NULL)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    fms_posterior post;
    fms_status st = fms_engine_eval_l(d, t, x_t, comp, &post, err);
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
        st = put_json(out, root, err);
    } else {
        char a[FMS_NUM_MAX], b[FMS_NUM_MAX], c[FMS_NUM_MAX], e[FMS_NUM_MAX], w[FMS_NUM_MAX];
        fms_num_key((double)x_t, 15, a);
        fms_num_key((double)t, 15, b);
        fms_strbuf_printf(out, "x_t = %s, t = %s\n\n", a, b);
        fms_strbuf_printf(out, "%-10s %12s %8s %22s %22s %24s %22s\n", "label", "x1", "prob", "eps", "u",
                          "log_weight", "weight");
        for (size_t k = 0; k < d->n; k++) {
            fms_num_key(d->x[k], 6, a);
            fms_num_key(d->prob[k], 6, b);
            fms_num_key(comp[k].eps, 15, c);
            fms_num_key(comp[k].u, 15, e);
            if (isnan(comp[k].weight_mant)) {
                char lw[FMS_NUM_MAX];
                fms_num_key(comp[k].log_weight, 6, lw);
                snprintf(w, sizeof w, "exp(%.40s)", lw);
            } else {
                fms_num_key_e10(comp[k].weight_mant, comp[k].weight_e10, 15, w);
            }
            char l[FMS_NUM_MAX];
            fms_num_key(comp[k].log_weight, 15, l);
            fms_strbuf_printf(out, "%-10s %12s %8s %22s %22s %24s %22s\n", d->labels[k], a, b, c, e, l, w);
        }
        fms_num_key(post.velocity, 15, a);
        fms_num_key(post.x1_mean, 15, b);
        fms_num_key(post.eps_mean, 15, c);
        fms_strbuf_printf(out, "\nvelocity = %s\nx1_mean  = %s\neps_mean = %s\n", a, b, c);
        if (fms_strbuf_status(out) != FMS_OK)
            st = fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    }
    free(comp);
    return st;
}

/* ---- worked answers ---------------------------------------------------- */

fms_status fms_render_exercise(const fms_exset *set, const fms_key *key, size_t ex, int part,
                               fms_format fmt, fms_strbuf *out, fms_error *err)
{
    (void)key;
    (void)fmt;
    (void)part;
    if (ex >= set->n)
        return fms_error_set(err, FMS_ENOTFOUND, 0, "no exercise number %zu", ex);
    fms_strbuf_printf(out, "%s\n", set->ex[ex].id);
    return FMS_OK;
}

fms_status fms_render_all(const fms_exset *set, const fms_key *key, fms_format fmt,
                          fms_strbuf *out, fms_error *err)
{
    for (size_t i = 0; i < set->n; i++) {
        fms_status st = fms_render_exercise(set, key, i, -1, fmt, out, err);
        if (st != FMS_OK)
            return st;
    }
    return FMS_OK;
}
