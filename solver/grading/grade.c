/* grade.c — see grade.h.
 *
 * One answer: read as written (notation.h), then as a value or formula
 * (expr.h), then judged by the table of mistakes (mistakes.h).  A whole
 * sheet: which lines answer which items (an id, or a part answered as odds),
 * each line graded, lines that answer the same item merged, then a second
 * look at the shares of each part together (NOT_NORMALISED).
 */
#include "grading/grade.h"

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gsl/gsl_rng.h>

#include "model/keyindex.h"
#include "base/numfmt.h"
#include "base/strbuf.h"
#include "base/utf8.h"
#include "grading/expr.h"
#include "grading/mistakes.h"
#include "grading/notation.h"

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
    out->points = v == FMS_VERDICT_CORRECT ? out->max_points : 0.0;
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    fms_utf8_trim_tail(tmp);   /* a cut message stays valid UTF-8 for the reports */
    free(out->feedback);
    out->feedback = fms_strbuf_dup(tmp);
    return out->feedback ? FMS_OK : FMS_ENOMEM;
}

/* ---- one answer ------------------------------------------------------- */

/* What an answer is graded against, and what reading it found. */
typedef struct grade_in {
    const fms_key *key;          /* may be NULL: no other items */
    const fms_data *data;        /* may be NULL: no data points */
    const fms_key_item *item;
    const int *group_sign;       /* the shares given for the item's group, or NULL */
    const double *group_log;
    int read_share;              /* out: a share was read, as sign·exp(log_abs) */
    int sign;
    double log_abs;
} grade_in;

/* The prefix of an id that its group shares: up to its last '.'. */
static size_t prefix_len(const char *id)
{
    const char *dot = strrchr(id, '.');
    return dot ? (size_t)(dot - id) : 0;
}

/* Whether b is in the group of a, whose prefix has n > 0 bytes: the same kind
 * and the same prefix, that is b's last '.' at n too. */
static int same_group(const fms_key_item *a, size_t n, const fms_key_item *b)
{
    return a->kind == b->kind && strncmp(a->id, b->id, n) == 0 && b->id[n] == '.' && strchr(b->id + n + 1, '.') == NULL;
}

/* The items of in->item's group, contiguous in the key: *first and the
 * count, 0 when there are more than FMS_MISTAKES_MAX_GROUP or no key. */
static size_t find_group_range(const grade_in *in, size_t *first)
{
    const fms_key *key = in->key;
    if (key == NULL || in->item < key->items || in->item >= key->items + key->n)
        return 0;
    const size_t np = prefix_len(in->item->id); /* 0: an item alone */
    size_t i = (size_t)(in->item - key->items), lo = i, hi = i + 1;
    while (np > 0 && lo > 0 && i - lo < FMS_MISTAKES_MAX_GROUP && same_group(in->item, np, &key->items[lo - 1]))
        lo--;
    while (np > 0 && hi < key->n && hi - lo <= FMS_MISTAKES_MAX_GROUP && same_group(in->item, np, &key->items[hi]))
        hi++;
    *first = lo;
    return hi - lo <= FMS_MISTAKES_MAX_GROUP ? hi - lo : 0;
}

static void ctx_init(const grade_in *in, fms_mistake_ctx *c)
{
    memset(c, 0, sizeof *c);
    c->item = in->item;
    c->data = in->data;
    c->point = -1;
    c->finite = 1;
    size_t first = 0, n = find_group_range(in, &first);
    if (n > 0) {
        c->group = &in->key->items[first];
        c->ngroup = n;
        c->group_sign = in->group_sign;
        c->group_log = in->group_log;
    }
    const char *label = in->item->id + prefix_len(in->item->id);
    if (in->data && *label == '.' && fms_data_find(in->data, label + 1) >= 0)
        c->label = label + 1;
}

/* The verdict of the first row of the table that applies. */
static fms_status judge(fms_mistake_ctx *c, fms_grade_item *out)
{
    const fms_mistake *m = fms_mistakes_find(c);
    char msg[1024];
    fms_mistakes_say(m, c, msg, sizeof msg);
    return verdict(out, m->verdict, m->reason, "%s", msg);
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

/* An answer that cannot be read: why, as the reader said. */
static fms_status parse_fail(fms_grade_item *out, fms_status st, const fms_error *e, const fms_notation *n,
                             int number)
{
    if (st == FMS_ENOMEM)
        return st;
    if (st == FMS_ENOTFOUND)
        return verdict(out, FMS_VERDICT_INVALID, number ? FMS_REASON_NOT_A_NUMBER : FMS_REASON_UNKNOWN_VARIABLE, "%s.",
                       e->msg);
    fms_reason r = st == FMS_EDOM ? FMS_REASON_AMBIGUOUS : FMS_REASON_PARSE_ERROR;
    if (n && n->rewritten & (FMS_NOTATION_LATEX | FMS_NOTATION_CHAIN))
        return verdict(out, FMS_VERDICT_INVALID, r, "cannot read the answer, read as '%.*s': %s.",
                       (int)fms_utf8_cut(n->value, strlen(n->value), 80), n->value, e->msg);
    return verdict(out, FMS_VERDICT_INVALID, r, "cannot read the answer: %s.", e->msg);
}

static int is_x1(const fms_key_item *item)
{
    size_t n = strlen(item->id);
    return n > 3 && strcmp(item->id + n - 3, ".x1") == 0;
}

static fms_status grade_number(grade_in *in, const fms_notation *n, fms_mistake_ctx *c, fms_grade_item *out)
{
    fms_error e;
    fms_error_clear(&e);
    fms_expr *x = NULL;
    const fms_expr_opts o = { NULL, is_x1(in->item) ? in->data : NULL, NULL };
    fms_status st = fms_expr_parse_opts(n->value, &o, &x, &e);
    if (st != FMS_OK)
        return parse_fail(out, st, &e, n, 1);
    fms_expr_eval(x, NULL, &c->given);
    fms_expr_free(x);
    c->finite = isfinite(c->given);
    c->sign = c->given > 0 ? 1 : c->given < 0 ? -1 : 0;
    c->log_abs = c->sign ? log(fabs(c->given)) : -INFINITY;
    return judge(c, out);
}

/* Reads a share as sign·exp(l), also outside the range of a double. */
static fms_status grade_share(grade_in *in, const fms_notation *n, fms_mistake_ctx *c, fms_grade_item *out)
{
    fms_error e;
    fms_error_clear(&e);
    fms_expr *x = NULL;
    fms_status st = fms_expr_parse(n->value, NULL, &x, &e);
    if (st != FMS_OK)
        return parse_fail(out, st, &e, n, 1);
    if (fms_expr_eval_log(x, &c->sign, &c->log_abs) != FMS_OK) {
        fms_expr_eval(x, NULL, &c->given);
        c->finite = 0;
    } else {
        c->given = c->sign ? c->sign * exp(c->log_abs) : 0.0;
        in->read_share = 1;
        in->sign = c->sign;
        in->log_abs = c->log_abs;
    }
    fms_expr_free(x);
    return judge(c, out);
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

/* Compares got with want at FMS_GRADE_POINTS seeded random points where want
 * is defined (giving up after many draws: the key's formulas are defined on
 * the whole box), into c's counts and its first point of difference. */
static fms_status compare_at_points(const fms_expr *want, const fms_expr *got, fms_mistake_ctx *c, fms_error *err)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (r == NULL)
        return fms_error_set(err, FMS_EGSL, 0, "cannot allocate a GSL random number generator");
    gsl_rng_set(r, FMS_GRADE_SEED);
    const int nv = fms_expr_nvars(want);
    c->points = c->same = c->negated = c->undefined = 0;
    int first = 1;
    for (int k = 0; c->points < FMS_GRADE_POINTS && k < 50 * FMS_GRADE_POINTS; k++) {
        double vals[FMS_EXPR_MAX_VARS] = { 0 }, w, g;
        for (int i = 0; i < nv; i++)
            draw(fms_expr_var(want, i), r, &vals[i]);
        fms_expr_eval(want, vals, &w);
        if (!isfinite(w))
            continue;
        fms_expr_eval(got, vals, &g);
        c->points++;
        c->same += formula_close(g, w);
        c->negated += isfinite(g) && formula_close(-g, w);
        c->undefined += !isfinite(g);
        if (first && !formula_close(g, w)) {
            first = 0;
            size_t len = 0;
            for (int i = 0; i < nv && len < sizeof c->where; i++) {
                char v[FMS_NUM_MAX];
                fms_numfmt_text(vals[i], 6, v);
                len += (size_t)snprintf(c->where + len, sizeof c->where - len, "%s%s = %s", i ? ", " : "",
                                        fms_expr_var(want, i), v);
            }
            c->yours = g;
            c->want = w;
        }
    }
    gsl_rng_free(r);
    return FMS_OK;
}

/* Whether got, read again with e as the noise, equals want at the points. */
static fms_status e_as_noise(const grade_in *in, const fms_notation *n, const fms_expr *want, fms_mistake_ctx *c,
                             fms_error *err)
{
    const char *eps = strstr(in->item->vars, "eps_theta") ? "eps_theta" : strstr(in->item->vars, "eps") ? "eps" : NULL;
    fms_expr *again = NULL;
    const fms_expr_opts o = { in->item->vars, NULL, eps };
    if (eps == NULL || fms_expr_parse_opts(n->value, &o, &again, NULL) != FMS_OK)
        return FMS_OK;
    fms_mistake_ctx d = *c;
    fms_status st = compare_at_points(want, again, &d, err);
    c->e_as_eps = st == FMS_OK && d.points > 0 && d.same == d.points;
    fms_expr_free(again);
    return st;
}

static fms_status grade_formula(grade_in *in, const fms_notation *n, fms_mistake_ctx *c, fms_grade_item *out,
                                fms_error *err)
{
    const fms_key_item *item = in->item;
    fms_error e;
    fms_error_clear(&e);
    fms_expr *want = NULL, *got = NULL;
    fms_status st = fms_expr_parse(item->formula, item->vars, &want, &e);
    if (st != FMS_OK)
        return fms_error_set(err, st == FMS_ENOMEM ? FMS_ENOMEM : FMS_EINVAL, 0, "the key's formula for %s: %s",
                             item->id, e.msg);
    fms_error_clear(&e);
    st = fms_expr_parse(n->value, item->vars, &got, &e);
    if (st == FMS_ENOTFOUND) {
        /* Is the unknown name the velocity u, left in by the student? */
        char vars[128];
        snprintf(vars, sizeof vars, "%s u", item->vars);
        const fms_expr_opts o = { vars, NULL, NULL };
        c->uses_u = fms_expr_parse_opts(n->value, &o, &got, NULL) == FMS_OK;
        st = c->uses_u ? FMS_OK : st;
    }
    if (st != FMS_OK) {
        fms_expr_free(want);
        return parse_fail(out, st, &e, n, 0);
    }
    if (!c->uses_u)
        st = compare_at_points(want, got, c, err);
    if (st == FMS_OK && !c->uses_u && c->same < c->points && fms_expr_uses_e(got))
        st = e_as_noise(in, n, want, c, err);
    if (st == FMS_OK)
        st = judge(c, out);
    fms_expr_free(want);
    fms_expr_free(got);
    return st;
}

/* Whether text holds ':' outside parentheses. */
static int has_colon(const char *text)
{
    int depth = 0;
    for (const char *s = text; *s; s++) {
        depth += *s == '(' || *s == '[';
        depth -= (*s == ')' || *s == ']') && depth > 0;
        if (*s == ':' && depth == 0)
            return 1;
    }
    return 0;
}

/* out->expected from the key item (a formula is left to fms_grade_item_expected). */
static void set_expected(fms_grade_item *out, const fms_key_item *item)
{
    out->expected[0] = '\0';
    if (item->kind == FMS_ITEM_FORMULA)
        return;
    char v[FMS_KEY_VALUE_MAX];
    fms_key_item_value(item, v);
    size_t n = strnlen(v, sizeof out->expected - 1); /* a number fits: FMS_GRADE_EXPECTED_MAX */
    memcpy(out->expected, v, n);
    out->expected[n] = '\0';
}

/* Grades text to in->item into out (whose got is set by the caller). */
static fms_status grade_text(grade_in *in, const char *text, fms_grade_item *out, fms_error *err)
{
    out->key = in->item;
    out->max_points = out->max_points > 0 ? out->max_points : 1.0;
    set_expected(out, in->item);
    if (text == NULL || text[strspn(text, " \t")] == '\0')
        return verdict(out, FMS_VERDICT_MISSING, FMS_REASON_BLANK, "The answer is blank: nothing after '='.");
    if (!fms_utf8_valid(text, strlen(text)))
        return verdict(out, FMS_VERDICT_INVALID, FMS_REASON_NOT_UTF8, "The answer holds bytes that are not UTF-8: "
                       "save the file as UTF-8.");
    fms_notation n;
    fms_error e;
    fms_error_clear(&e);
    fms_status st = fms_notation_read(text, &n, &e);
    if (st != FMS_OK)
        return parse_fail(out, st, &e, NULL, 1);
    fms_mistake_ctx c;
    ctx_init(in, &c);
    c.plain = !n.rewritten && plain_number(n.value);
    c.colon = has_colon(n.value);
    if (!c.colon && in->item->kind != FMS_ITEM_FORMULA)
        fms_notation_decimal(n.value, &c.written);
    if (c.colon)
        st = judge(&c, out);
    else if (in->item->kind == FMS_ITEM_FORMULA)
        st = grade_formula(in, &n, &c, out, err);
    else if (in->item->kind == FMS_ITEM_NUMBER)
        st = grade_number(in, &n, &c, out);
    else
        st = grade_share(in, &n, &c, out);
    fms_notation_clear(&n);
    return st;
}

fms_status fms_grade_answer_with(const fms_key *key, const fms_data *d, const fms_key_item *item, const char *text,
                                 fms_grade_item *out, fms_error *err)
{
    free(out->got);
    out->got = fms_strbuf_dup(text ? text : "");
    if (out->got == NULL)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    grade_in in = { key, d, item, NULL, NULL, 0, 0, 0.0 };
    fms_status st = grade_text(&in, text, out, err);
    if (st == FMS_ENOMEM)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    return st;
}

fms_status fms_grade_answer(const fms_key_item *item, const char *text, fms_grade_item *out, fms_error *err)
{
    return fms_grade_answer_with(NULL, NULL, item, text, out, err);
}

const char *fms_grade_item_expected(const fms_grade_item *item)
{
    return item->key && item->key->kind == FMS_ITEM_FORMULA ? item->key->formula : item->expected;
}

void fms_grade_item_clear(fms_grade_item *item)
{
    free(item->got);
    free(item->feedback);
    item->got = NULL;
    item->feedback = NULL;
}

/* ---- which lines answer which items --------------------------------------- */

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

/* The key items line e answers, their indices in idx (a group of shares for
 * a ratio); or 0 with *note saying why it answers none. */
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
    group_fill(idx[0], d->n, idx);
    return d->n;
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

/* ---- odds for a part --------------------------------------------------------- */

/* Splits text at ':' outside parentheses; returns the number of terms and
 * their [start, end) offsets in at most max slots. */
static size_t split_ratio(const char *text, size_t *start, size_t *end, size_t max)
{
    size_t n = 0, s = 0;
    int depth = 0;
    for (size_t i = 0;; i++) {
        char c = text[i];
        depth += c == '(' || c == '[';
        depth -= (c == ')' || c == ']') && depth > 0;
        if ((c == ':' && depth == 0) || c == '\0') {
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
    return n;
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
    char term[FMS_NOTATION_MAX_LEN + 1];
    if (len > FMS_NOTATION_MAX_LEN)
        len = FMS_NOTATION_MAX_LEN;   /* beyond the expression reader's limit anyway */
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
        q->bad = ps == FMS_ENOTFOUND ? FMS_REASON_NOT_A_NUMBER
                 : ps == FMS_EDOM    ? FMS_REASON_AMBIGUOUS
                                     : FMS_REASON_PARSE_ERROR;
    } else if (fms_expr_eval_log(x, &q->sign[k], &q->l[k]) != FMS_OK || q->sign[k] < 0) {
        snprintf(q->why, sizeof q->why, "The term for %s is not a number \xe2\x89\xa5 0.", label);
        q->bad = FMS_REASON_BAD_RATIO;
    }
    fms_expr_free(x);
    if (q->bad == FMS_REASON_OK && q->sign[k] > 0)
        q->lse = q->lse == -INFINITY ? q->l[k] : fmax(q->lse, q->l[k]) + log1p(exp(-fabs(q->lse - q->l[k])));
    return FMS_OK;
}

/* Reads answer (plain notation, for part id) as a ratio of one term per label of d. */
static fms_status read_ratio(const char *answer, const char *id, const fms_data *d, ratio *q)
{
    size_t n = d->n;
    size_t *start = calloc(n + 1, sizeof *start), *end = calloc(n + 1, sizeof *end);
    fms_status st = start && end ? FMS_OK : FMS_ENOMEM;
    size_t terms = st == FMS_OK ? split_ratio(answer, start, end, n + 1) : 0;
    if (st == FMS_OK && terms != n) {
        char labels[256] = "";
        for (size_t k = 0; k < n && strlen(labels) + FMS_LABEL_MAX + 4 < sizeof labels; k++) {
            strcat(labels, k ? " : " : "");
            strcat(labels, d->labels[k]);
        }
        snprintf(q->why, sizeof q->why, "A ratio for %s needs %zu terms (%s); this one has %zu.", id, n, labels,
                 terms);
        q->bad = FMS_REASON_BAD_RATIO;
    }
    for (size_t k = 0; st == FMS_OK && q->bad == FMS_REASON_OK && k < n; k++)
        st = read_ratio_term(answer + start[k], end[k] - start[k], d->labels[k], k, q);
    if (st == FMS_OK && q->bad == FMS_REASON_OK && q->lse == -INFINITY) {
        snprintf(q->why, sizeof q->why, "Every term of the ratio is 0.");
        q->bad = FMS_REASON_BAD_RATIO;
    }
    free(start);
    free(end);
    return st;
}

/* The grade of label k's share from a ratio q (read, or bad) into out. */
static fms_status grade_ratio_term(const fms_key *key, const fms_data *d, long item, const ratio *q, size_t k,
                                   fms_grade_item *out)
{
    grade_in in = { key, d, &key->items[item], NULL, NULL, 0, 0, 0.0 };
    out->key = in.item;
    out->max_points = 1.0;
    if (q->bad != FMS_REASON_OK)
        return verdict(out, FMS_VERDICT_INVALID, q->bad, "%s", q->why);
    fms_mistake_ctx c;
    ctx_init(&in, &c);
    c.sign = q->sign[k];
    c.log_abs = q->sign[k] ? q->l[k] - q->lse : -INFINITY;
    c.given = c.sign ? exp(c.log_abs) : 0.0;
    return judge(&c, out);
}

/* ---- merging the lines of one item ---------------------------------------- */

/* What the lines answering one item came to. */
typedef struct item_state {
    int answered;            /* a line with a non-blank answer was merged */
    long again_line;         /* a later line with the same grade, 0 */
    long other_line;         /* a later line with another grade, 0 */
    fms_verdict other_verdict;
    fms_reason other_reason;
    int share_known;         /* the first answer was one share, read as sign·exp(log) */
    int sign;
    double log_abs;
} item_state;

/* Merges the grade tmp of a line into item it: the first answer stands; a
 * blank one gives way; a later one is noted as agreeing or not. */
static void merge(fms_grade_item *it, item_state *s, fms_grade_item *tmp, long line)
{
    int blank = tmp->verdict == FMS_VERDICT_MISSING;
    if (!s->answered && (!blank || it->line == 0)) {
        fms_grade_item_clear(it);
        *it = *tmp;
        it->line = line;
        s->answered = !blank;
        memset(tmp, 0, sizeof *tmp);
        return;
    }
    /* Two answers agree when both are correct, or both wrong the same way. */
    int agree = tmp->verdict == it->verdict && tmp->reason == it->reason &&
                (tmp->verdict == FMS_VERDICT_CORRECT || strcmp(tmp->feedback, it->feedback) == 0);
    if (!blank && agree && s->again_line == 0)
        s->again_line = line;
    else if (!blank && !agree && s->other_line == 0) {
        s->other_line = line;
        s->other_verdict = tmp->verdict;
        s->other_reason = tmp->reason;
    }
    fms_grade_item_clear(tmp);
}

/* Everything the sheet's grading carries from line to line. */
typedef struct sheet_run {
    const fms_key *key;
    const fms_data *d;
    fms_grade *g;
    item_state *state;
    long *idx;
    size_t ucap;
    fms_error *err;
} sheet_run;

static fms_status set_got(fms_grade_item *tmp, const char *text)
{
    free(tmp->got);
    tmp->got = fms_strbuf_dup(text);
    return tmp->got ? FMS_OK : FMS_ENOMEM;
}

/* Grades line e as the answer to item i alone. */
static fms_status grade_line(sheet_run *r, const fms_sheet_entry *e, long i)
{
    fms_grade_item tmp = { 0 };
    tmp.key = &r->key->items[i];
    tmp.max_points = 1.0;
    fms_status st = set_got(&tmp, e->too_long ? "" : e->answer);
    grade_in in = { r->key, r->d, tmp.key, NULL, NULL, 0, 0, 0.0 };
    if (st != FMS_OK)
        ;
    else if (e->too_long)
        st = verdict(&tmp, FMS_VERDICT_INVALID, FMS_REASON_TOO_LONG, "The line is longer than %d bytes and was not "
                     "read.", FMS_SHEET_MAX_LINE);
    else if (e->bad_bytes)
        st = verdict(&tmp, FMS_VERDICT_INVALID, FMS_REASON_NOT_UTF8, "The answer holds bytes that are not UTF-8 "
                     "(shown as \xef\xbf\xbd): the file is probably Latin-1 or Windows-1252; save it as UTF-8.");
    else
        st = grade_text(&in, e->answer, &tmp, r->err);
    item_state *s = &r->state[i];
    if (st == FMS_OK && !s->answered && in.read_share) {
        s->share_known = 1;
        s->sign = in.sign;
        s->log_abs = in.log_abs;
    }
    if (st == FMS_OK)
        merge(&r->g->items[i], s, &tmp, e->line);
    fms_grade_item_clear(&tmp);
    return st;
}

/* Grades line e, odds for the shares idx[0..d->n) of a part. */
static fms_status grade_ratio_line(sheet_run *r, const fms_sheet_entry *e)
{
    const fms_data *d = r->d;
    fms_notation n = { 0 };
    fms_error pe;
    fms_error_clear(&pe);
    ratio q = { calloc(d->n, sizeof *q.sign), calloc(d->n, sizeof *q.l), -INFINITY, FMS_REASON_OK, "" };
    fms_status st = q.sign && q.l ? fms_notation_read(e->answer, &n, &pe) : FMS_ENOMEM;
    if (st != FMS_OK && st != FMS_ENOMEM) {
        snprintf(q.why, sizeof q.why, "Cannot read the odds: %s.", pe.msg);
        q.bad = st == FMS_EDOM ? FMS_REASON_AMBIGUOUS : FMS_REASON_PARSE_ERROR;
        st = FMS_OK;
    } else if (st == FMS_OK)
        st = read_ratio(n.value, e->id, d, &q);
    for (size_t k = 0; st == FMS_OK && k < d->n; k++) {
        fms_grade_item tmp = { 0 };
        st = set_got(&tmp, e->answer);
        if (st == FMS_OK)
            st = grade_ratio_term(r->key, d, r->idx[k], &q, k, &tmp);
        if (st == FMS_OK)
            merge(&r->g->items[r->idx[k]], &r->state[r->idx[k]], &tmp, e->line);
        fms_grade_item_clear(&tmp);
    }
    fms_notation_clear(&n);
    free(q.sign);
    free(q.l);
    return st;
}

/* The verdict of an item once every line is merged. */
static fms_status settle(fms_grade_item *it, const item_state *s)
{
    if (it->line == 0)
        return verdict(it, FMS_VERDICT_MISSING, FMS_REASON_MISSING, "No answer for %s.", it->key->id);
    if (s->other_line > 0) {
        char first[64];
        snprintf(first, sizeof first, "%s", fms_grade_verdict_name(it->verdict));
        return verdict(it, FMS_VERDICT_INVALID, FMS_REASON_DUPLICATE,
                       "%s is answered on line %ld (%s) and again on line %ld (%s, %s): give one answer per id.",
                       it->key->id, it->line, first, s->other_line, fms_grade_verdict_name(s->other_verdict),
                       fms_grade_reason_name(s->other_reason));
    }
    if (s->again_line > 0) {
        /* "Correct: read as 0.5; answered again on line 3, the same way." */
        char *fb = it->feedback;
        size_t n = strlen(fb);
        int plain = strcmp(fb, "Correct.") == 0;
        it->feedback = NULL;
        fms_status st = verdict(it, it->verdict, it->reason, "%.*s%sanswered again on line %ld, the same way.",
                                plain ? 7 : (int)(n > 0 && fb[n - 1] == '.' ? n - 1 : n), fb, plain ? ": " : "; ",
                                s->again_line);
        free(fb);
        return st;
    }
    return FMS_OK;
}

/* Looks again at each wrong share whose part was answered share by share:
 * shares that are all off by one factor were not normalised. */
static fms_status second_look(sheet_run *r, int *gsign, double *glog)
{
    const fms_key *key = r->key;
    for (size_t i = 0; i < key->n; i++) {
        gsign[i] = r->state[i].share_known ? r->state[i].sign : 0;
        glog[i] = r->state[i].share_known ? r->state[i].log_abs : -INFINITY;
    }
    fms_status st = FMS_OK;
    for (size_t i = 0; st == FMS_OK && i < key->n; i++) {
        fms_grade_item *it = &r->g->items[i];
        if (it->verdict != FMS_VERDICT_INCORRECT || !r->state[i].share_known || r->state[i].other_line)
            continue; /* before the group is looked for: most items stop here */
        grade_in in = { key, r->d, &key->items[i], NULL, NULL, 0, 0, 0.0 };
        size_t first = 0, n = find_group_range(&in, &first);
        if (n < 2)
            continue;
        size_t known = 0;
        for (size_t j = first; j < first + n; j++)
            known += r->state[j].share_known && r->state[j].other_line == 0;
        if (known < n)
            continue;
        in.group_sign = &gsign[first];
        in.group_log = &glog[first];
        char *got = it->got;
        it->got = NULL;
        st = grade_text(&in, got, it, r->err);
        it->got = got;
    }
    return st;
}

/* ---- whole sheets ------------------------------------------------------------ */

static fms_status add_note(fms_grade *g, long line, fms_reason reason, const char *text)
{
    fms_grade_note *n = realloc(g->notes, (g->nnotes + 1) * sizeof *n);
    if (n == NULL)
        return FMS_ENOMEM;
    g->notes = n;
    n[g->nnotes].line = line;
    n[g->nnotes].reason = reason;
    n[g->nnotes].text = fms_strbuf_dup(text);
    if (n[g->nnotes].text == NULL)
        return FMS_ENOMEM;
    g->nnotes++;
    return FMS_OK;
}

/* A note on the sheet's encoding, when it is not UTF-8. */
static fms_status encoding_note(fms_grade *g, const fms_sheet *sheet)
{
    char text[256];
    switch (sheet->encoding) {
    case FMS_SHEET_UTF8:
        return FMS_OK;
    case FMS_SHEET_UTF16LE:
    case FMS_SHEET_UTF16BE:
        snprintf(text, sizeof text, "The file is UTF-16 (%s-endian): it was read, but save it as UTF-8.",
                 sheet->encoding == FMS_SHEET_UTF16LE ? "little" : "big");
        return add_note(g, 0, FMS_REASON_ENCODING, text);
    case FMS_SHEET_NOT_UTF8:
        snprintf(text, sizeof text, "Line %ld holds bytes that are not UTF-8 (the file is probably Latin-1 or "
                 "Windows-1252): save it as UTF-8. In a comment they cost nothing; an answer with them is invalid.",
                 sheet->bad_line);
        return add_note(g, sheet->bad_line, FMS_REASON_ENCODING, text);
    }
    return FMS_OK;
}

/* Every line in order: graded against what it answers, or noted as unknown. */
static fms_status grade_lines(sheet_run *r, const fms_sheet *sheet)
{
    fms_status st = FMS_OK;
    for (size_t j = 0; st == FMS_OK && j < sheet->n; j++) {
        const fms_sheet_entry *e = &sheet->entries[j];
        const char *note = NULL;
        size_t nidx = match_line(r->key, r->d, e, r->idx, &note);
        if (nidx == 0)
            st = add_unknown(r->g, &r->ucap, e, note);
        else if (nidx == 1)
            st = grade_line(r, e, r->idx[0]);
        else if (e->too_long || e->bad_bytes) {
            for (size_t k = 0; st == FMS_OK && k < nidx; k++)
                st = grade_line(r, e, r->idx[k]);
        } else
            st = grade_ratio_line(r, e);
    }
    return st;
}

static fms_status grade_all(sheet_run *r, const fms_sheet *sheet)
{
    fms_grade *g = r->g;
    fms_status st = grade_lines(r, sheet);
    int *gsign = st == FMS_OK ? calloc(r->key->n + 1, sizeof *gsign) : NULL;
    double *glog = st == FMS_OK ? calloc(r->key->n + 1, sizeof *glog) : NULL;
    if (st == FMS_OK)
        st = gsign && glog ? second_look(r, gsign, glog) : FMS_ENOMEM;
    free(gsign);
    free(glog);
    for (size_t i = 0; st == FMS_OK && i < r->key->n; i++) {
        fms_grade_item *it = &g->items[i];
        it->key = &r->key->items[i];
        it->max_points = 1.0;
        set_expected(it, it->key); /* the one place on a sheet's path, answered or not */
        st = settle(it, &r->state[i]);
        it->points = it->verdict == FMS_VERDICT_CORRECT ? it->max_points : 0.0;
        g->ncorrect += it->verdict == FMS_VERDICT_CORRECT;
        g->score += it->points;
        g->max_score += it->max_points;
    }
    if (st == FMS_OK)
        st = encoding_note(g, sheet);
    if (st == FMS_ENOMEM)
        return fms_error_set(r->err, FMS_ENOMEM, 0, "out of memory");
    return st;
}

fms_status fms_grade_sheet(const fms_key *key, const fms_data *d, const fms_sheet *sheet, fms_grade **out,
                           fms_error *err)
{
    *out = NULL;
    fms_grade *g = calloc(1, sizeof *g);
    sheet_run r = { key, d, g, calloc(key->n + 1, sizeof(item_state)), calloc(d ? d->n + 1 : 1, sizeof(long)), 0,
                    err };
    fms_status st;
    if (!g || !r.state || !r.idx || (key->n && (g->items = calloc(key->n, sizeof *g->items)) == NULL))
        st = fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    else {
        g->n = key->n;
        st = grade_all(&r, sheet);
    }
    free(r.state);
    free(r.idx);
    if (st != FMS_OK) {
        fms_grade_free(g);
        return st;
    }
    *out = g;
    return FMS_OK;
}

/* What item i's part (or exercise) is worth under the set's points, shared
 * by the m items of that part. */
static double worth(const fms_exset *set, const fms_key_item *it, size_t m)
{
    if (it->exercise >= set->n)
        return 1.0;
    const fms_exercise *x = &set->ex[it->exercise];
    if (x->npoints == 0)
        return 1.0;
    size_t p = x->npoints > 1 && it->part >= 0 && (size_t)it->part < x->npoints ? (size_t)it->part : 0;
    return x->points[p] / (double)m;
}

void fms_grade_weigh(fms_grade *g, const fms_exset *set)
{
    g->score = g->max_score = 0.0;
    g->weighted = 0;
    for (size_t i = 0; i < g->n;) {
        const fms_key_item *a = g->items[i].key;
        size_t j = i + 1;
        while (j < g->n && g->items[j].key->exercise == a->exercise && g->items[j].key->part == a->part)
            j++;
        double each = worth(set, a, j - i);
        g->weighted |= a->exercise < set->n && set->ex[a->exercise].npoints > 0;
        for (; i < j; i++) {
            fms_grade_item *it = &g->items[i];
            it->max_points = each;
            it->points = it->verdict == FMS_VERDICT_CORRECT ? each : 0.0;
            g->score += it->points;
            g->max_score += it->max_points;
        }
    }
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
    for (size_t i = 0; i < g->nnotes; i++)
        free(g->notes[i].text);
    free(g->items);
    free(g->unknown);
    free(g->notes);
    free(g);
}
