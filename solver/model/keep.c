/* keep.c — see keep.h. */
#include "model/keep.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/numfmt.h"
#include "base/strbuf.h"

typedef enum arg_kind { ARG_NONE, ARG_SHARE, ARG_NUMBER, ARG_LABEL } arg_kind;

typedef struct pred_def {
    const char *name;
    fms_keep_kind kind;
    arg_kind arg;
} pred_def;

static const pred_def defs[] = {
    { "identifies", FMS_KEEP_IDENTIFIES, ARG_SHARE },
    { "mixed", FMS_KEEP_MIXED, ARG_SHARE },
    { "t0", FMS_KEEP_T0, ARG_NONE },
    { "prior", FMS_KEEP_PRIOR, ARG_NONE },
    { "toward", FMS_KEEP_TOWARD, ARG_LABEL },
    { "v_above", FMS_KEEP_V_ABOVE, ARG_NUMBER },
    { "v_below", FMS_KEEP_V_BELOW, ARG_NUMBER },
};
#define NDEFS (sizeof defs / sizeof defs[0])

#define KEEP_NAMES "identifies(E), mixed(E), t0, prior, toward(LABEL), v_above(X) or v_below(X)"

/* Reads the argument text a (n bytes) of predicate def into p. */
static fms_status parse_arg(const pred_def *def, const char *a, size_t n, fms_keep_pred *p, fms_error *err)
{
    char buf[64];
    if (n >= sizeof buf)
        return fms_error_set(err, FMS_EINVAL, 0, "keep: the argument of %s is too long", def->name);
    memcpy(buf, a, n);
    buf[n] = '\0';
    if (def->arg == ARG_LABEL) {
        if (!fms_data_label_valid(buf))
            return fms_error_set(err, FMS_EINVAL, 0, "keep: %s(%s) needs a data label, e.g. %s(A)", def->name, buf,
                                 def->name);
        memcpy(p->label, buf, n + 1);
        return FMS_OK;
    }
    if (fms_numfmt_parse(buf, &p->arg) != FMS_OK)
        return fms_error_set(err, FMS_EINVAL, 0, "keep: %s(%s) needs a number", def->name, buf);
    if (def->arg == ARG_SHARE && !(p->arg > 0.0 && p->arg < 1.0))
        return fms_error_set(err, FMS_EINVAL, 0, "keep: %s(%s) needs a share between 0 and 1, e.g. %s(1e-10)",
                             def->name, buf, def->name);
    return FMS_OK;
}

/* Parses one predicate, s[0..n) trimmed. */
static fms_status parse_one(const char *s, size_t n, fms_keep_pred *p, fms_error *err)
{
    memset(p, 0, sizeof *p);
    while (n > 0 && *s == '!') {
        p->negate = !p->negate;
        s++;
        n--;
    }
    const char *open = memchr(s, '(', n);
    size_t name_len = open ? (size_t)(open - s) : n;
    const char *name = s;
    fms_strbuf_trim(&name, &name_len);
    const pred_def *def = NULL;
    for (size_t i = 0; i < NDEFS; i++)
        if (strlen(defs[i].name) == name_len && memcmp(defs[i].name, name, name_len) == 0)
            def = &defs[i];
    if (def == NULL)
        return fms_error_set(err, FMS_EINVAL, 0, "keep: unknown predicate '%.*s' (expected " KEEP_NAMES ")",
                             (int)(name_len < 40 ? name_len : 40), name);
    p->kind = def->kind;
    if (def->arg == ARG_NONE) {
        if (open)
            return fms_error_set(err, FMS_EINVAL, 0, "keep: %s takes no argument", def->name);
        return FMS_OK;
    }
    if (!open || s[n - 1] != ')')
        return fms_error_set(err, FMS_EINVAL, 0, "keep: %s needs an argument in parentheses, e.g. %s", def->name,
                             def->arg == ARG_LABEL ? "toward(A)" : def->arg == ARG_SHARE ? "identifies(1e-10)"
                                                                                        : "v_below(0)");
    const char *a = open + 1;
    size_t an = (size_t)(s + n - 1 - a);
    fms_strbuf_trim(&a, &an);
    return parse_arg(def, a, an, p, err);
}

fms_status fms_keep_parse(const char *text, fms_keep *out, fms_error *err)
{
    out->n = 0;
    const char *s = text;
    for (;;) {
        const char *end = strchr(s, ',');
        size_t n = end ? (size_t)(end - s) : strlen(s);
        fms_strbuf_trim(&s, &n);
        if (n == 0)
            return fms_error_set(err, FMS_EINVAL, 0, "keep: an empty predicate (expected " KEEP_NAMES
                                                     ", separated by commas)");
        if (out->n == FMS_KEEP_MAX)
            return fms_error_set(err, FMS_EINVAL, 0, "keep: at most %d predicates", FMS_KEEP_MAX);
        fms_status st = parse_one(s, n, &out->pred[out->n], err);
        if (st != FMS_OK)
            return st;
        out->n++;
        if (!end)
            return FMS_OK;
        s = end + 1;
    }
}

/* The largest ℓ_k over k ≠ skip (−∞ when there is none). */
static double max_log_weight(const fms_component *comp, size_t n, size_t skip)
{
    double m = -INFINITY;
    for (size_t k = 0; k < n; k++)
        if (k != skip && comp[k].log_weight > m)
            m = comp[k].log_weight;
    return m;
}

/* Whether predicate p holds (ignoring its negation); -1 when toward() names no label. */
static int holds_one(const fms_keep_pred *p, const fms_data *d, const fms_exercise *x, const fms_component *comp,
                     const fms_posterior *post)
{
    switch (p->kind) {
    case FMS_KEEP_IDENTIFIES:
        return max_log_weight(comp, d->n, post->argmax) < log(p->arg);
    case FMS_KEEP_MIXED:
        for (size_t k = 0; k < d->n; k++)
            if (comp[k].log_weight < log(p->arg))
                return 0;
        return 1;
    case FMS_KEEP_T0:
        return x->t_l == 0.0L;
    case FMS_KEEP_PRIOR:
        for (size_t k = 0; k < d->n; k++)
            if (fabs(comp[k].log_weight - d->log_prob[k]) > 1e-12)
                return 0;
        return 1;
    case FMS_KEEP_TOWARD: {
        long k = fms_data_find(d, p->label);
        return k < 0 ? -1 : (size_t)k == post->argmax;
    }
    case FMS_KEEP_V_ABOVE:
        return post->velocity > p->arg;
    case FMS_KEEP_V_BELOW:
        return post->velocity < p->arg;
    }
    return 0;
}

fms_status fms_keep_eval(const fms_keep *k, const fms_data *d, const fms_exercise *x, int *holds, size_t *failed,
                         fms_error *err)
{
    *holds = 0;
    if (x->kind != FMS_EX_POINT)
        return fms_error_set(err, FMS_EINVAL, 0, "keep is only for point exercises, and [%s] is of kind %s", x->id,
                             fms_exset_kind_name(x->kind));
    fms_component *comp = calloc(d->n, sizeof *comp);
    if (comp == NULL)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    fms_posterior post;
    fms_status st = fms_exset_eval(d, x, comp, &post, err);
    *holds = st == FMS_OK;
    for (size_t i = 0; st == FMS_OK && i < k->n && *holds; i++) {
        int h = holds_one(&k->pred[i], d, x, comp, &post);
        if (h < 0)
            st = fms_error_set(err, FMS_EINVAL, 0, "keep: toward(%s) names no data point of this set", k->pred[i].label);
        else if (h == k->pred[i].negate) {
            *holds = 0;
            if (failed)
                *failed = i;
        }
    }
    free(comp);
    if (st != FMS_OK)
        *holds = 0;
    return st;
}
