/* grade.c — see grade.h. */
#include "grading/grade.h"

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>

#include "grading/expr.h"
#include "model/keyindex.h"
#include "base/numfmt.h"
#include "base/strbuf.h"

static const char *const verdict_name[] = {
    [FMS_VERDICT_CORRECT] = "correct",
    [FMS_VERDICT_INCORRECT] = "incorrect",
    [FMS_VERDICT_INVALID] = "invalid",
    [FMS_VERDICT_MISSING] = "missing",
};

const char *fms_grade_verdict_name(fms_verdict v)
{
    return (unsigned)v < sizeof verdict_name / sizeof verdict_name[0] ? verdict_name[v] : "invalid";
}

static const struct { const char *name, *meaning; } reason_table[FMS_REASON_COUNT] = {
#define FMS_REASON_ROW_(code, meaning) [FMS_REASON_##code] = { #code, meaning },
    FMS_REASONS(FMS_REASON_ROW_)
#undef FMS_REASON_ROW_
};

const char *fms_grade_reason_name(fms_reason r)
{
    return (unsigned)r < FMS_REASON_COUNT ? reason_table[r].name : "?";
}

const char *fms_grade_reason_meaning(fms_reason r)
{
    return (unsigned)r < FMS_REASON_COUNT ? reason_table[r].meaning : "";
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static fms_status verdict(fms_grade_item *out, fms_verdict v, fms_reason reason, const char *fmt, ...)
{
    out->verdict = v;
    out->reason = reason;
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof tmp) {
        /* Cut at a character boundary: reports must stay valid UTF-8. */
        size_t k = sizeof tmp - 1;
        while (k > 0 && ((unsigned char)tmp[k] & 0xC0) == 0x80)
            k--;
        tmp[k] = '\0';
    }
    free(out->feedback);
    out->feedback = fms_strbuf_dup(tmp);
    return out->feedback ? FMS_OK : FMS_ENOMEM;
}

/* A value for feedback, 6 significant digits, UTF-8 minus. */
static void show(double x, char buf[FMS_NUM_MAX])
{
    if (isnan(x))
        snprintf(buf, FMS_NUM_MAX, "undefined");
    else if (isinf(x))
        snprintf(buf, FMS_NUM_MAX, "%s", x > 0 ? "∞" : "−∞");
    else
        fms_numfmt_text(x, 6, buf);
}

/* A share known by its logarithm. */
static void show_log(int sign, double l, char buf[FMS_NUM_MAX])
{
    if (sign == 0)
        snprintf(buf, FMS_NUM_MAX, "0");
    else if (fms_numfmt_text_exp(l, 6, buf) != FMS_OK)
        snprintf(buf, FMS_NUM_MAX, "undefined");
    else if (sign < 0) {
        /* Shift right to make room for U+2212 (3 bytes); the text is short. */
        size_t n = strlen(buf);
        if (n + 4 <= FMS_NUM_MAX) {
            memmove(buf + 3, buf, n + 1);
            memcpy(buf, "\xe2\x88\x92", 3);
        }
    }
}

/* Whether the text is a bare decimal number (the minus sign may be U+2212),
 * whose value needs no echo. */
static int plain_number(const char *text)
{
    char ascii[64];
    size_t n = 0;
    for (const char *s = text; *s && n + 1 < sizeof ascii;) {
        if (strncmp(s, "\xe2\x88\x92", 3) == 0) {
            ascii[n++] = '-';
            s += 3;
        } else
            ascii[n++] = *s++;
    }
    ascii[n] = '\0';
    double v;
    return strlen(text) < sizeof ascii && fms_numfmt_parse(ascii, &v) == FMS_OK;
}

static fms_status parse_fail(fms_grade_item *out, fms_status st, const fms_error *e, int number)
{
    if (st == FMS_ENOMEM)
        return st;
    if (st == FMS_ENOTFOUND)
        return verdict(out, FMS_VERDICT_INVALID, number ? FMS_REASON_NOT_A_NUMBER : FMS_REASON_UNKNOWN_VARIABLE, "%s.",
                       e->msg);
    return verdict(out, FMS_VERDICT_INVALID, FMS_REASON_PARSE_ERROR, "cannot read the answer: %s.", e->msg);
}

static fms_status grade_number(const fms_key_item *item, const char *text, fms_grade_item *out)
{
    fms_error e;
    fms_error_clear(&e);
    fms_expr *x = NULL;
    fms_status st = fms_expr_parse(text, NULL, &x, &e);
    if (st != FMS_OK)
        return parse_fail(out, st, &e, 1);
    double g;
    fms_expr_eval(x, NULL, &g);
    fms_expr_free(x);
    const double want = item->value;
    const double tol = FMS_GRADE_REL_TOL * fabs(want) + FMS_GRADE_ABS_TOL_PER_SCALE * item->scale;
    char gs[FMS_NUM_MAX], ws[FMS_NUM_MAX];
    show(g, gs);
    show(want, ws);
    if (!isfinite(g))
        return verdict(out, FMS_VERDICT_INCORRECT, FMS_REASON_NOT_FINITE, "Your answer is %s; expected %s.", gs, ws);
    if (fabs(g - want) <= tol) {
        if (fabs(g - want) > FMS_GRADE_REL_TOL * fabs(want))
            /* Accepted by the absolute tolerance only: say what the exact value is. */
            return verdict(out, FMS_VERDICT_CORRECT, FMS_REASON_OK,
                           "Correct: the exact value is %s, ≈ %s on this problem's scale.", ws, gs);
        if (plain_number(text))
            return verdict(out, FMS_VERDICT_CORRECT, FMS_REASON_OK, "Correct.");
        return verdict(out, FMS_VERDICT_CORRECT, FMS_REASON_OK, "Correct: read as %s.", gs);
    }
    if (fabs(g + want) <= tol)
        return verdict(out, FMS_VERDICT_INCORRECT, FMS_REASON_WRONG_SIGN,
                       "Expected %s, you gave %s: the sign is flipped; check the order of each subtraction.",
                       ws, gs);
    if (fabs(g - want) <= FMS_GRADE_CLOSE_REL * fabs(want))
        return verdict(out, FMS_VERDICT_INCORRECT, FMS_REASON_LOW_PRECISION,
                       "Expected %s, you gave %s: close, but not within 0.1%%; keep more digits until the end.", ws,
                       gs);
    return verdict(out, FMS_VERDICT_INCORRECT, FMS_REASON_WRONG_VALUE, "Expected %s, you gave %s.", ws, gs);
}

/* Grades a share given as sign·exp(l); text is the answer as written. */
static fms_status grade_share_value(const fms_key_item *item, int sign, double l, int echo, fms_grade_item *out)
{
    char gs[FMS_NUM_MAX], ws[FMS_NUM_MAX];
    show_log(sign, l, gs);
    show_log(1, item->log_value, ws);
    const char *label = strrchr(item->id, '.');
    label = label ? label + 1 : item->id;
    if (sign < 0 || (sign > 0 && l > log1p(FMS_GRADE_REL_TOL)))
        return verdict(out, FMS_VERDICT_INCORRECT, FMS_REASON_NOT_A_PROBABILITY,
                       "You gave %s, but a share is a probability, between 0 and 1; expected %s.", gs, ws);
    if (sign == 0) {
        if (item->log_value < log(FMS_GRADE_REL_TOL))
            return verdict(out, FMS_VERDICT_INCORRECT, FMS_REASON_ZERO_FOR_TINY,
                           "The exact value is %s, not 0: %s is rare here, not impossible (compare in log space: "
                           "w_k ∝ p_k·exp(−ε_k²/2)).",
                           ws, label);
        return verdict(out, FMS_VERDICT_INCORRECT, FMS_REASON_WRONG_VALUE, "Expected %s, you gave 0.", ws);
    }
    double r = expm1(l - item->log_value);
    if (fabs(r) <= FMS_GRADE_REL_TOL) {
        if (!echo)
            return verdict(out, FMS_VERDICT_CORRECT, FMS_REASON_OK, "Correct.");
        return verdict(out, FMS_VERDICT_CORRECT, FMS_REASON_OK, "Correct: read as %s.", gs);
    }
    if (fabs(r) <= FMS_GRADE_CLOSE_REL)
        return verdict(out, FMS_VERDICT_INCORRECT, FMS_REASON_LOW_PRECISION,
                       "Expected %s, you gave %s: close, but not within 0.1%%; keep more digits.", ws, gs);
    return verdict(out, FMS_VERDICT_INCORRECT, FMS_REASON_WRONG_VALUE, "Expected %s, you gave %s.", ws, gs);
}

/* Reads a constant answer as sign·exp(l), also outside the range of a double. */
static fms_status read_log(const char *text, int *sign, double *l, fms_grade_item *out, int *graded)
{
    *graded = 0;
    fms_error e;
    fms_error_clear(&e);
    fms_expr *x = NULL;
    fms_status st = fms_expr_parse(text, NULL, &x, &e);
    if (st != FMS_OK) {
        *graded = 1;
        return parse_fail(out, st, &e, 1);
    }
    st = fms_expr_eval_log(x, sign, l);
    if (st != FMS_OK) {
        double g;
        fms_expr_eval(x, NULL, &g);
        char gs[FMS_NUM_MAX];
        show(g, gs);
        fms_expr_free(x);
        *graded = 1;
        return verdict(out, FMS_VERDICT_INCORRECT, FMS_REASON_NOT_FINITE, "Your answer is %s (it has no finite value).",
                       gs);
    }
    fms_expr_free(x);
    return FMS_OK;
}

static fms_status grade_share(const fms_key_item *item, const char *text, fms_grade_item *out)
{
    int sign, graded;
    double l;
    fms_status st = read_log(text, &sign, &l, out, &graded);
    if (st != FMS_OK || graded)
        return st;
    return grade_share_value(item, sign, l, !plain_number(text), out);
}

/* The box each variable is drawn from, and the grid its draws are rounded
 * to; the last row serves every other variable (x_t, eps, eps_theta). */
static const struct { const char *var; double lo, hi, step; } draw_box[] = {
    { "t", 0.05, 0.95, 0.01 },
    { "dt", 0.001, 0.2, 0.001 },
    { NULL, -2.0, 2.0, 0.01 },
};

static void draw(const char *var, gsl_rng *r, double *v)
{
    size_t b = 0;
    while (draw_box[b].var && strcmp(draw_box[b].var, var) != 0)
        b++;
    const double lo = draw_box[b].lo, hi = draw_box[b].hi, step = draw_box[b].step;
    double u = lo + (hi - lo) * gsl_rng_uniform(r);
    *v = round(u / step) * step;
    if (*v < lo)
        *v = lo;
    if (*v > hi)
        *v = hi;
}

static int formula_close(double g, double want)
{
    return fabs(g - want) <= FMS_GRADE_FORMULA_REL * fmax(1.0, fabs(want));
}

/* What the comparison of a formula with the key's at random points found. */
typedef struct formula_check {
    int used;          /* points where the key's formula is defined */
    int same, negated, domain;
    int first_bad;     /* the first point (1-based) where they differ, -1 */
    double bad_vals[FMS_EXPR_MAX_VARS], bad_g, bad_w;
} formula_check;

/* Draws points until enough where the expected formula is defined (or gives
 * up after many draws: the key's formulas are defined on the whole box). */
static void compare_at_points(const fms_expr *want, const fms_expr *got, gsl_rng *r, formula_check *c)
{
    const int nv = fms_expr_nvars(want);
    for (int k = 0; c->used < FMS_GRADE_POINTS && k < 50 * FMS_GRADE_POINTS; k++) {
        double vals[FMS_EXPR_MAX_VARS] = { 0 };
        for (int i = 0; i < nv; i++)
            draw(fms_expr_var(want, i), r, &vals[i]);
        double w, g;
        fms_expr_eval(want, vals, &w);
        if (!isfinite(w))
            continue;
        fms_expr_eval(got, vals, &g);
        c->used++;
        if (formula_close(g, w)) {
            c->same++;
            continue;
        }
        if (isfinite(g) && formula_close(-g, w))
            c->negated++;
        if (!isfinite(g))
            c->domain++;
        if (c->first_bad < 0) {
            c->first_bad = c->used;
            memcpy(c->bad_vals, vals, sizeof c->bad_vals);
            c->bad_g = g;
            c->bad_w = w;
        }
    }
}

/* The verdict on a formula compared at the points of c. */
static fms_status formula_verdict(const fms_key_item *item, const fms_expr *want, const formula_check *c,
                                  fms_grade_item *out)
{
    if (c->used > 0 && c->same == c->used)
        return verdict(out, FMS_VERDICT_CORRECT, FMS_REASON_OK, "Correct: equal to %s at %d random points.",
                       item->formula, c->used);
    char where[512] = "", ws[FMS_NUM_MAX], gs[FMS_NUM_MAX];
    size_t len = 0;
    for (int i = 0; i < fms_expr_nvars(want); i++) {
        char v[FMS_NUM_MAX];
        show(c->bad_vals[i], v);
        len += (size_t)snprintf(where + len, sizeof where - len, "%s%s = %s", i ? ", " : "", fms_expr_var(want, i), v);
        if (len >= sizeof where)
            break;
    }
    show(c->bad_w, ws);
    show(c->bad_g, gs);
    if (c->used > 0 && c->negated == c->used)
        return verdict(out, FMS_VERDICT_INCORRECT, FMS_REASON_WRONG_SIGN,
                       "Your formula is the negative of the expected one: at %s: yours gives %s, expected %s.", where,
                       gs, ws);
    if (c->domain > 0 && !isfinite(c->bad_g))
        return verdict(out, FMS_VERDICT_INCORRECT, FMS_REASON_DOMAIN_MISMATCH,
                       "Your formula is undefined where the expected one is defined: at %s yours gives %s, "
                       "expected %s.",
                       where, gs, ws);
    return verdict(out, FMS_VERDICT_INCORRECT, FMS_REASON_WRONG_FORMULA, "At %s: yours gives %s, expected %s (%s).",
                   where, gs, ws, item->formula);
}

static fms_status grade_formula(const fms_key_item *item, const char *text, fms_grade_item *out, fms_error *err)
{
    fms_error e;
    fms_error_clear(&e);
    fms_expr *want = NULL, *got = NULL;
    fms_status st = fms_expr_parse(item->formula, item->vars, &want, &e);
    if (st != FMS_OK)
        return fms_error_set(err, st == FMS_ENOMEM ? FMS_ENOMEM : FMS_EINVAL, 0, "the key's formula for %s: %s",
                             item->id, e.msg);
    fms_error_clear(&e);
    st = fms_expr_parse(text, item->vars, &got, &e);
    if (st != FMS_OK) {
        fms_expr_free(want);
        return parse_fail(out, st, &e, 0);
    }
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (r == NULL)
        st = fms_error_set(err, FMS_EGSL, 0, "cannot allocate a GSL random number generator");
    else {
        gsl_rng_set(r, FMS_GRADE_SEED);
        formula_check c = { .first_bad = -1 };
        compare_at_points(want, got, r, &c);
        gsl_rng_free(r);
        st = formula_verdict(item, want, &c, out);
    }
    fms_expr_free(want);
    fms_expr_free(got);
    return st;
}

fms_status fms_grade_answer(const fms_key_item *item, const char *text, fms_grade_item *out, fms_error *err)
{
    out->key = item;
    fms_key_item_value(item, out->expected);
    free(out->got);
    out->got = fms_strbuf_dup(text ? text : "");
    if (out->got == NULL)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    fms_status st;
    if (text == NULL || text[0] == '\0')
        st = verdict(out, FMS_VERDICT_INVALID, FMS_REASON_BLANK, "The answer is blank.");
    else if (item->kind == FMS_ITEM_NUMBER)
        st = grade_number(item, text, out);
    else if (item->kind == FMS_ITEM_SHARE)
        st = grade_share(item, text, out);
    else
        st = grade_formula(item, text, out, err);
    if (st == FMS_ENOMEM)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    return st;
}

void fms_grade_item_clear(fms_grade_item *item)
{
    free(item->got);
    free(item->feedback);
    item->got = NULL;
    item->feedback = NULL;
}

/* ---- whole sheets ------------------------------------------------------ */

/* The key item an id names: exact match first, then ignoring case (hash lookups). */
static long find_item(const fms_key *key, const char *id)
{
    return fms_keyindex_find_nocase(key, id);
}

/* 1 when item i of the key is the share ID.LABEL of label k (any case). */
static int is_share_of(const fms_key *key, const fms_data *d, long i, const char *id, size_t k)
{
    char full[FMS_KEY_ID_MAX];
    snprintf(full, sizeof full, "%s.%s", id, d->labels[k]);
    return i >= 0 && (size_t)i < key->n && key->items[i].kind == FMS_ITEM_SHARE && strcasecmp(key->items[i].id, full) == 0;
}

/* When id names a group of shares ID.LABEL for every label of d, returns
 * the key index of its first share, else -1.  The key writes a group's
 * shares together in data order (share k is item first + k), so the first
 * and the last label find the group in two lookups. */
static long find_group(const fms_key *key, const fms_data *d, const char *id)
{
    if (d == NULL || d->n == 0 || strlen(id) + FMS_LABEL_MAX + 2 > FMS_KEY_ID_MAX)
        return -1;
    char full[FMS_KEY_ID_MAX];
    snprintf(full, sizeof full, "%s.%s", id, d->labels[0]);
    long first = find_item(key, full);
    if (!is_share_of(key, d, first, id, 0) || !is_share_of(key, d, first + (long)d->n - 1, id, d->n - 1))
        return -1;
    return first;
}

/* The key indices of the n shares of the group that starts at item first. */
static void group_fill(long first, size_t n, long *idx)
{
    for (size_t k = 0; k < n; k++)
        idx[k] = first + (long)k;
}

/* Splits text at ':' outside parentheses; returns the number of terms and
 * their [start, end) offsets in at most max slots (0 when there is no ':'). */
static size_t split_ratio(const char *text, size_t *start, size_t *end, size_t max)
{
    size_t n = 0, s = 0;
    int depth = 0, colon = 0;
    for (size_t i = 0;; i++) {
        char c = text[i];
        if (c == '(' || c == '[')
            depth++;
        else if ((c == ')' || c == ']') && depth > 0)
            depth--;
        if ((c == ':' && depth == 0) || c == '\0') {
            if (c == ':')
                colon = 1;
            if (n < max) {
                start[n] = s;
                end[n] = i;
            }
            n++;
            s = i + 1;
            if (c == '\0')
                break;
        }
    }
    return colon ? n : 0;
}

static fms_status add_unknown(fms_grade *g, size_t *cap, const fms_sheet_entry *e, const char *note)
{
    if (g->nunknown == *cap) {
        size_t c = *cap ? 2 * *cap : 8;
        fms_grade_unknown *u = realloc(g->unknown, c * sizeof *u);
        if (u == NULL)
            return FMS_ENOMEM;
        g->unknown = u;
        *cap = c;
    }
    fms_grade_unknown *u = &g->unknown[g->nunknown];
    u->line = e->line;
    u->id = fms_strbuf_dup(e->id);
    u->note = fms_strbuf_dup(note);
    if (u->id == NULL || u->note == NULL) {
        free(u->id);
        free(u->note);
        return FMS_ENOMEM;
    }
    g->nunknown++;
    return FMS_OK;
}

typedef struct assignment {
    long entry;       /* the first sheet entry answering the item, -1 */
    long ratio_term;  /* -1, or the term of a ratio answer */
    long dup_line;    /* a later line answering the same item, 0 */
} assignment;

/* Every item that line j (a ratio) answers first records the answer as written. */
static fms_status record_ratio_answer(const fms_key *key, const fms_sheet_entry *e, long j, const long *idx, size_t n,
                                      const assignment *as, fms_grade *g)
{
    for (size_t k = 0; k < n; k++) {
        fms_grade_item *it = &g->items[idx[k]];
        if (as[idx[k]].entry != j)
            continue;
        it->key = &key->items[idx[k]];
        it->line = e->line;
        fms_key_item_value(it->key, it->expected);
        free(it->got);
        it->got = fms_strbuf_dup(e->answer);
        if (it->got == NULL)
            return FMS_ENOMEM;
    }
    return FMS_OK;
}

/* A ratio's reading: the terms as sign[k]·exp(l[k]) with their log-sum lse,
 * or why it cannot be graded (bad, why). */
typedef struct ratio {
    int *sign;
    double *l;
    double lse;
    fms_reason bad;   /* FMS_REASON_OK when the ratio could be read */
    char why[FMS_ERROR_MSG_MAX + 64];
} ratio;

/* Reads the term of label for ratio term k (len bytes at s). */
static fms_status read_ratio_term(const char *s, size_t len, const char *label, size_t k, ratio *q)
{
    char term[FMS_SHEET_MAX_LINE + 1];
    memcpy(term, s, len);
    term[len] = '\0';
    fms_expr *x = NULL;
    fms_error pe;
    fms_error_clear(&pe);
    fms_status ps = fms_expr_parse(term, NULL, &x, &pe);
    if (ps == FMS_ENOMEM)
        return ps;
    if (ps != FMS_OK) {
        snprintf(q->why, sizeof q->why, "Cannot read the term for %s: %s.", label, pe.msg);
        q->bad = ps == FMS_ENOTFOUND ? FMS_REASON_NOT_A_NUMBER : FMS_REASON_PARSE_ERROR;
    } else if (fms_expr_eval_log(x, &q->sign[k], &q->l[k]) != FMS_OK || q->sign[k] < 0) {
        snprintf(q->why, sizeof q->why, "The term for %s is not a number ≥ 0.", label);
        q->bad = FMS_REASON_BAD_RATIO;
    }
    fms_expr_free(x);
    if (q->bad == FMS_REASON_OK && q->sign[k] > 0)
        q->lse = q->lse == -INFINITY ? q->l[k] : fmax(q->lse, q->l[k]) + log1p(exp(-fabs(q->lse - q->l[k])));
    return FMS_OK;
}

/* Reads the answer of line e as a ratio of one term per label of d. */
static fms_status read_ratio(const fms_sheet_entry *e, const fms_data *d, ratio *q)
{
    size_t n = d->n;
    size_t *start = calloc(n + 1, sizeof *start), *end = calloc(n + 1, sizeof *end);
    fms_status st = start && end ? FMS_OK : FMS_ENOMEM;
    size_t terms = st == FMS_OK ? split_ratio(e->answer, start, end, n + 1) : 0;
    if (st == FMS_OK && terms != n) {
        char labels[256] = "";
        for (size_t k = 0; k < n && strlen(labels) + FMS_LABEL_MAX + 4 < sizeof labels; k++) {
            strcat(labels, k ? " : " : "");
            strcat(labels, d->labels[k]);
        }
        snprintf(q->why, sizeof q->why, "A ratio for %s needs %zu terms (%s); this one has %zu.", e->id, n, labels,
                 terms);
        q->bad = FMS_REASON_BAD_RATIO;
    }
    for (size_t k = 0; st == FMS_OK && q->bad == FMS_REASON_OK && k < n; k++)
        st = read_ratio_term(e->answer + start[k], end[k] - start[k], d->labels[k], k, q);
    if (st == FMS_OK && q->bad == FMS_REASON_OK && q->lse == -INFINITY) {
        snprintf(q->why, sizeof q->why, "Every term of the ratio is 0.");
        q->bad = FMS_REASON_BAD_RATIO;
    }
    free(start);
    free(end);
    return st;
}

/* Grades the shares that line j (a ratio) answers first; items of the group
 * that an earlier line answered keep that line's grade. */
static fms_status grade_ratio(const fms_key *key, const fms_data *d, const fms_sheet *sheet, long j, const long *idx,
                              const assignment *as, fms_grade *g, fms_error *err)
{
    const fms_sheet_entry *e = &sheet->entries[j];
    size_t n = d->n;
    ratio q = { calloc(n, sizeof *q.sign), calloc(n, sizeof *q.l), -INFINITY, FMS_REASON_OK, "" };
    fms_status st = q.sign && q.l ? record_ratio_answer(key, e, j, idx, n, as, g) : FMS_ENOMEM;
    if (st == FMS_OK)
        st = read_ratio(e, d, &q);
    for (size_t k = 0; st == FMS_OK && k < n; k++) {
        fms_grade_item *it = &g->items[idx[k]];
        if (as[idx[k]].entry != j)
            continue;
        if (q.bad != FMS_REASON_OK)
            st = verdict(it, FMS_VERDICT_INVALID, q.bad, "%s", q.why);
        else
            st = grade_share_value(it->key, q.sign[k], q.sign[k] ? q.l[k] - q.lse : -INFINITY, 1, it);
    }
    free(q.sign);
    free(q.l);
    return st == FMS_ENOMEM ? fms_error_set(err, FMS_ENOMEM, 0, "out of memory") : st;
}

/* The number of key items line e answers: 1 with its index in idx[0], or
 * d->n for a ratio, with the group's first share in idx[0] (group_fill gives
 * the rest); or 0 with *note saying why it answers none. */
static size_t match_line(const fms_key *key, const fms_data *d, const fms_sheet_entry *e, long *idx, const char **note)
{
    if (e->answer == NULL) {
        *note = "this line has no '=': write ID = ANSWER";
        return 0;
    }
    if (e->id[0] == '\0') {
        *note = "no id before '='";
        return 0;
    }
    long i = find_item(key, e->id);
    if (i >= 0) {
        idx[0] = i;
        return 1;
    }
    idx[0] = find_group(key, d, e->id);
    if (idx[0] < 0) {
        *note = "not an answer id of this exercise set";
        return 0;
    }
    if (strchr(e->answer, ':') == NULL) {
        *note = "this part asks one share per label: answer ID.LABEL = VALUE for each, or give the odds as A : B";
        return 0;
    }
    return d->n;
}

/* Which line answers which item (as), and which lines answer none
 * (g->unknown).  seen[f] counts the ratio lines of the group starting at
 * item f: after two, every share of the group has its first and its
 * duplicate line, and a further ratio line changes nothing (skipped, so
 * that repeated lines cost no pass over the labels). */
static fms_status assign_lines(const fms_key *key, const fms_data *d, const fms_sheet *sheet, assignment *as,
                               long *idx, unsigned char *seen, fms_grade *g)
{
    size_t ucap = 0;
    fms_status st = FMS_OK;
    for (size_t j = 0; st == FMS_OK && j < sheet->n; j++) {
        const fms_sheet_entry *e = &sheet->entries[j];
        const char *note = NULL;
        size_t nidx = match_line(key, d, e, idx, &note);
        if (nidx == 0)
            st = add_unknown(g, &ucap, e, note);
        if (nidx > 1 && seen[idx[0]] >= 2)
            continue;
        if (nidx > 1) {
            seen[idx[0]]++;
            group_fill(idx[0], nidx, idx);
        }
        for (size_t k = 0; k < nidx; k++) {
            if (as[idx[k]].entry < 0) {
                as[idx[k]].entry = (long)j;
                as[idx[k]].ratio_term = nidx > 1 ? (long)k : -1;
            } else if (as[idx[k]].dup_line == 0)
                as[idx[k]].dup_line = e->line;
        }
    }
    return st;
}

/* Grades the ratio lines, each where it answers an item first.  Only the
 * first ratio line of a group can (it leaves no share unanswered), so
 * seen[f] marks the groups whose first ratio line was looked at. */
static fms_status grade_ratios(const fms_key *key, const fms_data *d, const fms_sheet *sheet, const assignment *as,
                               long *idx, unsigned char *seen, fms_grade *g, fms_error *err)
{
    fms_status st = FMS_OK;
    for (size_t j = 0; st == FMS_OK && j < sheet->n; j++) {
        const fms_sheet_entry *e = &sheet->entries[j];
        if (e->answer == NULL || strchr(e->answer, ':') == NULL || find_item(key, e->id) >= 0)
            continue;
        long f = find_group(key, d, e->id);
        if (f < 0 || seen[f])
            continue;
        seen[f] = 1;
        group_fill(f, d->n, idx);
        int first = 0;
        for (size_t k = 0; k < d->n; k++)
            first |= as[idx[k]].entry == (long)j;
        if (first)
            st = grade_ratio(key, d, sheet, (long)j, idx, as, g, err);
    }
    return st;
}

/* Grades the answer of line e to item it alone (not as a term of a ratio). */
static fms_status grade_line(const fms_sheet_entry *e, fms_grade_item *it, fms_error *err)
{
    if (e->too_long) {
        free(it->got);
        it->got = fms_strbuf_dup("");
        return verdict(it, FMS_VERDICT_INVALID, FMS_REASON_TOO_LONG,
                       "The line is longer than %d bytes and was not read.", FMS_SHEET_MAX_LINE);
    }
    if (strchr(e->answer, ':') != NULL && it->key->kind != FMS_ITEM_FORMULA) {
        free(it->got);
        it->got = fms_strbuf_dup(e->answer);
        return it->got ? verdict(it, FMS_VERDICT_INVALID, FMS_REASON_BAD_RATIO,
                                 "A ratio answers a whole part (e.g. 1.3c = A : B), not one share.")
                       : FMS_ENOMEM;
    }
    return fms_grade_answer(it->key, e->answer, it, err);
}

/* Gives key item it its verdict, from the line as assigns it (if any). */
static fms_status grade_item(const fms_key_item *item, const fms_sheet *sheet, const assignment *as,
                             fms_grade_item *it, fms_error *err)
{
    it->key = item;
    fms_key_item_value(item, it->expected);
    fms_status st = FMS_OK;
    if (as->entry < 0) {
        it->line = 0;
        st = verdict(it, FMS_VERDICT_MISSING, FMS_REASON_MISSING, "No answer for %s.", item->id);
    } else {
        const fms_sheet_entry *e = &sheet->entries[as->entry];
        it->line = e->line;
        if (as->ratio_term < 0)
            st = grade_line(e, it, err);
        if (st == FMS_OK && as->dup_line > 0)
            st = verdict(it, FMS_VERDICT_INVALID, FMS_REASON_DUPLICATE,
                         "%s is answered on line %ld and again on line %ld: give one answer per id.", item->id,
                         e->line, as->dup_line);
    }
    return st == FMS_ENOMEM ? fms_error_set(err, FMS_ENOMEM, 0, "out of memory") : st;
}

static fms_status grade_all(const fms_key *key, const fms_data *d, const fms_sheet *sheet, assignment *as, long *idx,
                            fms_grade *g, fms_error *err)
{
    for (size_t i = 0; i < key->n; i++) {
        as[i].entry = -1;
        as[i].ratio_term = -1;
    }
    unsigned char *seen = calloc(key->n + 1, 1);
    fms_status st = seen ? assign_lines(key, d, sheet, as, idx, seen, g) : FMS_ENOMEM;
    if (st != FMS_OK) {
        free(seen);
        return fms_error_set(err, st, 0, "out of memory");
    }
    /* Ratios first (one line answers several items), then the rest. */
    memset(seen, 0, key->n + 1);
    st = grade_ratios(key, d, sheet, as, idx, seen, g, err);
    free(seen);
    for (size_t i = 0; st == FMS_OK && i < key->n; i++)
        st = grade_item(&key->items[i], sheet, &as[i], &g->items[i], err);
    for (size_t i = 0; st == FMS_OK && i < key->n; i++)
        if (g->items[i].verdict == FMS_VERDICT_CORRECT)
            g->ncorrect++;
    return st;
}

fms_status fms_grade_sheet(const fms_key *key, const fms_data *d, const fms_sheet *sheet, fms_grade **out,
                           fms_error *err)
{
    *out = NULL;
    fms_grade *g = calloc(1, sizeof *g);
    assignment *as = calloc(key->n + 1, sizeof *as);
    long *idx = calloc(d ? d->n + 1 : 1, sizeof *idx);
    fms_status st;
    if (!g || !as || !idx || (key->n && (g->items = calloc(key->n, sizeof *g->items)) == NULL))
        st = fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    else {
        g->n = key->n;
        st = grade_all(key, d, sheet, as, idx, g, err);
    }
    free(as);
    free(idx);
    if (st != FMS_OK) {
        fms_grade_free(g);
        return st;
    }
    *out = g;
    return FMS_OK;
}

void fms_grade_free(fms_grade *g)
{
    if (g == NULL)
        return;
    for (size_t i = 0; i < g->n && g->items; i++)
        fms_grade_item_clear(&g->items[i]);
    for (size_t i = 0; i < g->nunknown; i++) {
        free(g->unknown[i].id);
        free(g->unknown[i].note);
    }
    free(g->items);
    free(g->unknown);
    free(g);
}
