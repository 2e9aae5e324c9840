/* pathreport.c — see pathreport.h. */
#include "answers/pathreport.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "answers/render_doc.h"
#include "base/json.h"
#include "base/numfmt.h"
#include "model/affine.h"
#include "model/pathexpr.h"

/* ---- numbers ------------------------------------------------------------ */

/* The word for a value that is not finite (pathreport.h). */
static const char *nonfinite_word(double x)
{
    return isnan(x) ? "undetermined" : x > 0 ? "+inf" : "-inf";
}

/* x in key style, or its word. */
static void num_text(double x, int sig, char out[FMS_NUM_MAX])
{
    if (isfinite(x))
        fms_numfmt_key(x, sig, out);
    else
        snprintf(out, FMS_NUM_MAX, "%s", nonfinite_word(x));
}

/* x as JSON as the other query output writes it: a whole number as an integer, null when not finite. */
#define jval fms_render_json_num

/* Sets key to x in o, noting its word under "nonfinite" when x is not finite. */
static void jset(json_t *o, json_t *nonfinite, const char *key, double x)
{
    json_object_set_new(o, key, jval(x));
    if (!isfinite(x))
        json_object_set_new(nonfinite, key, json_string(nonfinite_word(x)));
}

/* Moves the "nonfinite" object into o when it has entries. */
static void put_nonfinite(json_t *o, json_t *nonfinite)
{
    if (json_object_size(nonfinite) > 0)
        json_object_set_new(o, "nonfinite", nonfinite);
    else
        json_decref(nonfinite);
}

/* ---- the point ---------------------------------------------------------- */

/* The rates of a point as named in the output. */
static const char *const rate_names[4] = { "alpha", "sigma", "alpha_dot", "sigma_dot" };

static void point_values(const fms_schedule_point *p, double v[4])
{
    v[0] = (double)p->alpha;
    v[1] = (double)p->sigma;
    v[2] = (double)p->alpha_dot;
    v[3] = (double)p->sigma_dot;
}

/* The path and point keys shared by both JSON objects. */
static void json_point(json_t *o, json_t *nonfinite, const fms_path_query *q, const fms_schedule_point *p)
{
    char name[FMS_SCHEDULE_NAME_MAX];
    fms_schedule_name(&q->schedule, name);
    json_object_set_new(o, "schedule", json_string(name));
    json_object_set_new(o, "convention", json_string(fms_schedule_convention_name(q->convention)));
    double v[4];
    point_values(p, v);
    for (int k = 0; k < 4; k++)
        jset(o, nonfinite, rate_names[k], v[k]);
}

/* "x_t = X, t = T" and the schedule's line, in text; at σ = 0, a note on
 * what that means (with limits: that the values are limits). */
static void text_point(fms_strbuf *out, const fms_path_query *q, const fms_schedule_point *p, int limits)
{
    char name[FMS_SCHEDULE_NAME_MAX], a[FMS_NUM_MAX], b[FMS_NUM_MAX];
    fms_schedule_name(&q->schedule, name);
    fms_numfmt_key((double)q->x_t, 15, a);
    fms_numfmt_key((double)q->t, 15, b);
    fms_strbuf_printf(out, "x_t = %s, t = %s\nschedule %s (%s):", a, b, name,
                      fms_schedule_convention_name(q->convention));
    double v[4];
    point_values(p, v);
    for (int k = 0; k < 4; k++) {
        num_text(v[k], 15, a);
        fms_strbuf_printf(out, "%s %s = %s", k ? "," : "", rate_names[k], a);
    }
    fms_strbuf_puts(out, "\n");
    if (!(p->sigma > 0.0L) && !limits)
        fms_strbuf_puts(out, "\xCF\x83 = 0 here: x_t = x1 exactly.\n");
    else if (!(p->sigma > 0.0L))
        fms_strbuf_printf(out, "\xCF\x83 = 0 here: x_t = x1 exactly, and every value below is its limit "
                               "t \xE2\x86\x92 %s at fixed x_t.\n", q->convention == FMS_DATA_AT_1 ? "1" : "0");
}

static fms_status eval_point(const fms_path_query *q, fms_schedule_point *p, fms_error *err)
{
    return fms_schedule_eval(&q->schedule, q->convention, q->t, q->one_minus_t, p, err);
}

/* ---- query -------------------------------------------------------------- */

/* The five outputs of the exact model as the query names them. */
static const struct { const char *name; fms_param param; } outputs[] = {
    { "velocity", FMS_PARAM_VELOCITY }, { "x1_mean", FMS_PARAM_X1 }, { "eps_mean", FMS_PARAM_EPSILON },
    { "score", FMS_PARAM_SCORE }, { "v_pred", FMS_PARAM_V },
};
#define NOUTPUTS (sizeof outputs / sizeof outputs[0])

static json_t *json_components(const fms_data *d, const fms_component *comp)
{
    json_t *arr = json_array();
    for (size_t k = 0; k < d->n; k++) {
        json_t *c = json_object();
        json_object_set_new(c, "label", json_string(d->labels[k]));
        json_object_set_new(c, "x1", jval(d->x[k]));
        json_object_set_new(c, "prob", jval(d->prob[k]));
        json_object_set_new(c, "eps", jval(comp[k].eps));
        json_object_set_new(c, "u", jval(comp[k].u));
        json_object_set_new(c, "log_weight", jval(comp[k].log_weight));
        json_object_set_new(c, "weight", jval(comp[k].weight));
        json_array_append_new(arr, c);
    }
    return arr;
}

static fms_status query_json(const fms_data *d, const fms_path_query *q, const fms_schedule_point *p,
                             const fms_component *comp, const fms_affine_result *res, fms_strbuf *out,
                             fms_error *err)
{
    json_t *o = json_object(), *nonfinite = json_object();
    json_object_set_new(o, "t", jval((double)q->t));
    json_object_set_new(o, "x_t", jval((double)q->x_t));
    json_point(o, nonfinite, q, p);
    json_object_set_new(o, "limit", json_boolean(res->limit));
    json_object_set_new(o, "components", json_components(d, comp));
    for (size_t i = 0; i < NOUTPUTS; i++)
        jset(o, nonfinite, outputs[i].name, res->value[outputs[i].param]);
    put_nonfinite(o, nonfinite);
    return fms_json_append(out, o, err);
}

/* A weight for the table: exact even below the range of a double. */
static void weight_text(const fms_component *c, char out[FMS_NUM_MAX])
{
    if (isnan(c->weight_mant)) {
        char lw[FMS_NUM_MAX];
        fms_numfmt_key(c->log_weight, 6, lw);
        snprintf(out, FMS_NUM_MAX, "exp(%.40s)", lw);
    } else {
        fms_numfmt_key_e10(c->weight_mant, c->weight_e10, 15, out);
    }
}

/* What a value that is not finite at p means, after its word. */
static const char *nonfinite_note(double x, const fms_schedule_point *p)
{
    if (isnan(x))
        return " (its limit depends on the next order; not determined here)";
    return p->sigma > 0.0L ? " (it diverges: the schedule's rates are infinite here)"
                           : " (it diverges as \xCF\x83 \xE2\x86\x92 0)";
}

static fms_status query_text(const fms_data *d, const fms_path_query *q, const fms_schedule_point *p,
                             const fms_component *comp, const fms_affine_result *res, fms_strbuf *out,
                             fms_error *err)
{
    char a[FMS_NUM_MAX], b[FMS_NUM_MAX], c[FMS_NUM_MAX], e[FMS_NUM_MAX], w[FMS_NUM_MAX], l[FMS_NUM_MAX];
    text_point(out, q, p, 1);
    fms_strbuf_printf(out, "\n%-10s %12s %8s %22s %22s %24s %22s\n", "label", "x1", "prob", "eps", "u", "log_weight",
                      "weight");
    for (size_t k = 0; k < d->n; k++) {
        fms_numfmt_key(d->x[k], 6, a);
        fms_numfmt_key(d->prob[k], 6, b);
        num_text(comp[k].eps, 15, c);
        num_text(comp[k].u, 15, e);
        num_text(comp[k].log_weight, 15, l);
        weight_text(&comp[k], w);
        fms_strbuf_printf(out, "%-10s %12s %8s %22s %22s %24s %22s\n", d->labels[k], a, b, c, e, l, w);
    }
    fms_strbuf_puts(out, "\n");
    for (size_t i = 0; i < NOUTPUTS; i++) {
        double v = res->value[outputs[i].param];
        num_text(v, 15, a);
        fms_strbuf_printf(out, "%-8s = %s%s\n", outputs[i].name, a, isfinite(v) ? "" : nonfinite_note(v, p));
    }
    return fms_strbuf_status(out) == FMS_OK ? FMS_OK : fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
}

fms_status fms_pathreport_query(const fms_data *d, const fms_path_query *q, int json, fms_strbuf *out,
                                fms_error *err)
{
    fms_schedule_point p;
    fms_status st = eval_point(q, &p, err);
    if (st != FMS_OK)
        return st;
    fms_component *comp = calloc(d->n, sizeof *comp);
    if (comp == NULL)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    fms_affine_result res;
    st = fms_affine_eval(d, &p, q->x_t, comp, &res, err);
    if (st == FMS_OK)
        st = json ? query_json(d, q, &p, comp, &res, out, err) : query_text(d, q, &p, comp, &res, out, err);
    free(comp);
    return st;
}

/* ---- convert ------------------------------------------------------------ */

/* The formulas of a conversion: explicit in t, general, and the definitions the general one uses. */
typedef struct conv_text {
    char formula[FMS_PATHEXPR_MAX + 16];
    char general[FMS_PATHEXPR_MAX + 16];
    char where[160];
} conv_text;

static fms_status conv_formulas(const fms_path_query *q, fms_param from, fms_param to, conv_text *ct,
                                fms_error *err)
{
    char f[FMS_PATHEXPR_MAX], g[FMS_PATHEXPR_MAX];
    fms_status st = fms_pathexpr_convert(&q->schedule, q->convention, from, to, 0, FMS_PATHEXPR_ASCII, f);
    if (st == FMS_OK)
        st = fms_pathexpr_convert_symbolic(from, to, 0, FMS_PATHEXPR_ASCII, g);
    if (st != FMS_OK)
        return fms_error_set(err, st, 0, "cannot write the formula of the conversion");
    const char *lhs = fms_pathexpr_var(to, 0);
    snprintf(ct->formula, sizeof ct->formula, "%s = %s", lhs, f);
    snprintf(ct->general, sizeof ct->general, "%s = %s", lhs, g);
    static const struct { char sym; const char *def; } defs[] = {
        { 'W', "W = alpha_dot*sigma - sigma_dot*alpha" },
        { 'r', "rho = alpha_dot*alpha + sigma_dot*sigma" },
        { 'R', "R = alpha^2 + sigma^2" },
    };
    ct->where[0] = '\0';
    for (size_t k = 0; k < sizeof defs / sizeof defs[0]; k++)
        if (defs[k].sym == 'r' ? strstr(g, "rho") != NULL : strchr(g, defs[k].sym) != NULL) {
            size_t n = strlen(ct->where);
            snprintf(ct->where + n, sizeof ct->where - n, "%s%s", n ? ", " : "", defs[k].def);
        }
    return FMS_OK;
}

static fms_status convert_json(const fms_path_query *q, const fms_schedule_point *p, const fms_param_conversion *cv,
                               const conv_text *ct, long double y, double exact, fms_strbuf *out, fms_error *err)
{
    json_t *o = json_object(), *nonfinite = json_object();
    json_object_set_new(o, "from", json_string(fms_param_name(cv->from)));
    json_object_set_new(o, "to", json_string(fms_param_name(cv->to)));
    json_object_set_new(o, "t", jval((double)q->t));
    json_object_set_new(o, "x_t", jval((double)q->x_t));
    json_object_set_new(o, "input", jval((double)y));
    json_point(o, nonfinite, q, p);
    json_object_set_new(o, "formula", json_string(ct->formula));
    json_object_set_new(o, "formula_general", json_string(ct->general));
    if (ct->where[0])
        json_object_set_new(o, "where", json_string(ct->where));
    json_object_set_new(o, "determined", json_boolean(cv->determined));
    json_object_set_new(o, "value", jval(cv->value));
    if (cv->determined) {
        json_object_set_new(o, "gain", jval(cv->gain));
        json_object_set_new(o, "x1_gain", jval(cv->x1_gain));
    } else {
        json_object_set_new(o, "reason", json_string(cv->reason));
        jset(o, nonfinite, "exact_limit", exact);
    }
    put_nonfinite(o, nonfinite);
    return fms_json_append(out, o, err);
}

static fms_status convert_text(const fms_path_query *q, const fms_schedule_point *p, const fms_param_conversion *cv,
                               const conv_text *ct, long double y, double exact, fms_strbuf *out, fms_error *err)
{
    const char *in = fms_pathexpr_var(cv->from, 0), *lhs = fms_pathexpr_var(cv->to, 0);
    char a[FMS_NUM_MAX], b[FMS_NUM_MAX];
    fms_strbuf_printf(out, "convert %s (%s) to %s (%s)\n", fms_param_title(cv->from), in, fms_param_title(cv->to),
                      lhs);
    text_point(out, q, p, 0);
    fms_strbuf_printf(out, "\nformula: %s\ngeneral: %s\n", ct->formula, ct->general);
    if (ct->where[0])
        fms_strbuf_printf(out, "  where  %s\n", ct->where);
    fms_numfmt_key((double)y, 15, b);
    if (cv->determined) {
        fms_numfmt_key(cv->value, 15, a);
        fms_strbuf_printf(out, "value:   %s = %s (from %s = %s)\n", lhs, a, in, b);
        num_text(cv->gain, 6, a);
        fms_strbuf_printf(out, "gain:    |d%s/d%s| = %s: an error in the model's %s is multiplied by this\n", lhs,
                          in, a, in);
        long double c1, c2;
        fms_param_basis(cv->from, p, &c1, &c2);
        if (c1 == 0.0L && c2 == 0.0L)
            fms_strbuf_printf(out, "note:    here the %s is 0 whatever x1 is, and the formula is 0/0; the %s "
                                   "follows from x_t alone (the formula's limit)\n",
                              fms_param_title(cv->from), fms_param_title(cv->to));
    } else {
        fms_strbuf_printf(out, "value:   undetermined: %s.\n", cv->reason);
        num_text(exact, 15, a);
        fms_strbuf_printf(out, "exact:   the exact model of the exercise set's data gives %s = %s here%s\n", lhs, a,
                          isfinite(exact) ? " (its limit)" : nonfinite_note(exact, p));
    }
    return fms_strbuf_status(out) == FMS_OK ? FMS_OK : fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
}

fms_status fms_pathreport_convert(const fms_data *d, const fms_path_query *q, fms_param from, fms_param to,
                                  long double y, int json, fms_strbuf *out, fms_error *err)
{
    fms_schedule_point p;
    conv_text ct;
    fms_param_conversion cv;
    fms_status st = eval_point(q, &p, err);
    if (st == FMS_OK)
        st = conv_formulas(q, from, to, &ct, err);
    if (st == FMS_OK)
        st = fms_param_convert(from, to, &p, q->x_t, y, &cv, err);
    double exact = NAN;
    if (st == FMS_OK && !cv.determined)
        st = fms_affine_convert(d, &p, from, to, q->x_t, y, &cv, &exact, err);
    if (st != FMS_OK)
        return st;
    return json ? convert_json(q, &p, &cv, &ct, y, exact, out, err) : convert_text(q, &p, &cv, &ct, y, exact, out, err);
}
