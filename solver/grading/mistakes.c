/* mistakes.c — see mistakes.h.  The table is fms_mistakes below: read it
 * top to bottom, as the grader does. */
#include "grading/mistakes.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/numfmt.h"
#include "base/utf8.h"

static const double ln10 = 2.30258509299404568402;

/* ---- values -------------------------------------------------------------- */

/* The exact value of item it as sign·exp(log). */
static void expected_of(const fms_key_item *it, int *sign, double *l)
{
    if (it->kind == FMS_ITEM_SHARE) {
        *sign = 1;
        *l = it->log_value;
        return;
    }
    *sign = it->value > 0 ? 1 : it->value < 0 ? -1 : 0;
    *l = it->value != 0 ? log(fabs(it->value)) : -INFINITY;
}

int fms_mistakes_number_close(double g, double w, double scale, int abs_too)
{
    double tol = FMS_GRADE_REL_TOL * fabs(w) + (abs_too ? FMS_GRADE_ABS_TOL_PER_SCALE * scale : 0.0);
    return fabs(g - w) <= tol;
}

int fms_mistakes_share_close(int sign, double l, double lw)
{
    return sign > 0 && fabs(expm1(l - lw)) <= FMS_GRADE_REL_TOL;
}

/* |given − exact| ≤ half a unit of the last digit written, in logs. */
static int half_unit(const fms_decimal *d, int sign, double l, int wsign, double lw)
{
    if (d->digits == 0 || sign == 0 || sign != wsign)
        return 0;
    double r = fabs(expm1(l - lw));
    if (r == 0)
        return 1;
    /* The exact value is a double: a relative slack of 1e-9 lets both
     * neighbours of an exact tie pass. */
    return log(r) + lw <= log(0.5) + (double)d->last_e10 * ln10 + 1e-9;
}

int fms_mistakes_rounded(const fms_decimal *d, int sign, double l, int wsign, double lw)
{
    return d->digits >= 2 && half_unit(d, sign, l, wsign, lw);
}

/* Whether the value given matches item it's exact value by c->item's rule,
 * or is it rounded to the digits written. */
static int given_matches(const fms_mistake_ctx *c, const fms_key_item *it)
{
    int ws;
    double lw;
    expected_of(it, &ws, &lw);
    if (fms_mistakes_rounded(&c->written, c->sign, c->log_abs, ws, lw))
        return 1;
    if (c->item->kind == FMS_ITEM_SHARE)
        return fms_mistakes_share_close(c->sign, c->log_abs, lw);
    return fms_mistakes_number_close(c->given, it->value, c->item->scale, 1);
}

/* The label of item it: what follows its last '.' ("1.3c.B": "B"). */
static const char *label_of(const fms_key_item *it)
{
    const char *dot = strrchr(it->id, '.');
    return dot ? dot + 1 : it->id;
}

/* ---- predicates ------------------------------------------------------- */

static int always(fms_mistake_ctx *c)
{
    (void)c;
    return 1;
}

static int has_colon(fms_mistake_ctx *c)
{
    return c->colon;
}

static int not_finite(fms_mistake_ctx *c)
{
    return !c->finite;
}

static int within_tol(fms_mistake_ctx *c)
{
    if (c->item->kind == FMS_ITEM_SHARE)
        return fms_mistakes_share_close(c->sign, c->log_abs, c->item->log_value);
    return fms_mistakes_number_close(c->given, c->item->value, c->item->scale, 0);
}

static int within_tol_plain(fms_mistake_ctx *c)
{
    return c->plain && within_tol(c);
}

static int rounded(fms_mistake_ctx *c)
{
    int ws;
    double lw;
    expected_of(c->item, &ws, &lw);
    return fms_mistakes_rounded(&c->written, c->sign, c->log_abs, ws, lw);
}

static int near_zero(fms_mistake_ctx *c)
{
    return fms_mistakes_number_close(c->given, c->item->value, c->item->scale, 1);
}

/* −given is the exact value (to the tolerance, or rounded). */
static int negated(fms_mistake_ctx *c)
{
    int ws;
    double lw;
    expected_of(c->item, &ws, &lw);
    return c->sign != 0 && (fms_mistakes_number_close(-c->given, c->item->value, c->item->scale, 0) ||
                            fms_mistakes_rounded(&c->written, -c->sign, c->log_abs, ws, lw));
}

static int near_zero_flipped(fms_mistake_ctx *c)
{
    return near_zero(c) && negated(c);
}

static int wrong_sign(fms_mistake_ctx *c)
{
    return fms_mistakes_number_close(-c->given, c->item->value, c->item->scale, 1) || negated(c);
}

static int zero_for_tiny(fms_mistake_ctx *c)
{
    return c->sign == 0 && c->item->log_value < log(FMS_GRADE_REL_TOL);
}

/* The value of another label of the same part. */
static int other_label(fms_mistake_ctx *c)
{
    for (size_t j = 0; c->label && c->group && j < c->ngroup; j++)
        if (&c->group[j] != c->item && given_matches(c, &c->group[j])) {
            c->other = j;
            return 1;
        }
    return 0;
}

/* w_self / w_other for another label: odds where a share is asked. */
static int odds(fms_mistake_ctx *c)
{
    for (size_t j = 0; c->label && c->group && j < c->ngroup; j++)
        if (&c->group[j] != c->item &&
            fms_mistakes_share_close(c->sign, c->log_abs, c->item->log_value - c->group[j].log_value)) {
            c->other = j;
            return 1;
        }
    return 0;
}

/* Every share of the part given, all off by the same factor ≠ 1. */
static int not_normalised(fms_mistake_ctx *c)
{
    if (c->group_sign == NULL || c->ngroup < 2)
        return 0;
    double lo = INFINITY, hi = -INFINITY, sum = -INFINITY;
    for (size_t j = 0; j < c->ngroup; j++) {
        if (c->group_sign[j] <= 0)
            return 0;
        double r = c->group_log[j] - c->group[j].log_value;
        lo = fmin(lo, r);
        hi = fmax(hi, r);
        double l = c->group_log[j];
        sum = sum == -INFINITY ? l : fmax(sum, l) + log1p(exp(-fabs(sum - l)));
    }
    c->sum_log = sum;
    return hi - lo <= 2 * FMS_GRADE_REL_TOL && fabs(expm1(lo)) > FMS_GRADE_REL_TOL;
}

/* A share that is 1 up to a tiny amount given as 0.99 or so. */
static int near_one(fms_mistake_ctx *c)
{
    double g = exp(c->log_abs);
    double complement = -expm1(c->item->log_value);
    return c->sign > 0 && g < 1.0 - FMS_GRADE_REL_TOL && g >= 0.9 && complement < (1.0 - g) / 10;
}

static int not_a_probability(fms_mistake_ctx *c)
{
    return c->sign < 0 || (c->sign > 0 && c->log_abs > log1p(FMS_GRADE_REL_TOL));
}

/* An x̂1 answered with a data point that is not it. */
static int wrong_point(fms_mistake_ctx *c)
{
    const char *suffix = strrchr(c->item->id, '.');
    if (c->data == NULL || suffix == NULL || strcmp(suffix, ".x1") != 0 || c->data->n > FMS_MISTAKES_MAX_GROUP)
        return 0;
    for (size_t k = 0; k < c->data->n; k++)
        if (fms_mistakes_number_close(c->given, c->data->x[k], c->item->scale, 1)) {
            c->point = (long)k;
            return 1;
        }
    return 0;
}

static int close_5pc(fms_mistake_ctx *c)
{
    if (c->item->kind == FMS_ITEM_SHARE)
        return c->sign > 0 && fabs(expm1(c->log_abs - c->item->log_value)) <= FMS_GRADE_CLOSE_REL;
    return fabs(c->given - c->item->value) <= FMS_GRADE_CLOSE_REL * fabs(c->item->value);
}

static int one_digit_rounded(fms_mistake_ctx *c)
{
    int ws;
    double lw;
    expected_of(c->item, &ws, &lw);
    return close_5pc(c) && c->written.digits == 1 && half_unit(&c->written, c->sign, c->log_abs, ws, lw);
}

static int digits_not_rounded(fms_mistake_ctx *c)
{
    return close_5pc(c) && c->written.digits >= 2;
}

static int formula_same(fms_mistake_ctx *c)
{
    return c->points > 0 && c->same == c->points;
}

static int uses_u(fms_mistake_ctx *c)
{
    return c->uses_u;
}

static int e_as_eps(fms_mistake_ctx *c)
{
    return c->e_as_eps;
}

static int formula_negated(fms_mistake_ctx *c)
{
    return c->points > 0 && c->negated == c->points;
}

static int formula_undefined(fms_mistake_ctx *c)
{
    return c->undefined > 0 && !isfinite(c->yours);
}

/* ---- the table -------------------------------------------------------- */

#define N (1u << FMS_ITEM_NUMBER)
#define S (1u << FMS_ITEM_SHARE)
#define F (1u << FMS_ITEM_FORMULA)
#define CORRECT FMS_VERDICT_CORRECT
#define INCORRECT FMS_VERDICT_INCORRECT
#define INVALID FMS_VERDICT_INVALID

const fms_mistake fms_mistakes[] = {
    /* Odds written where one value is asked. */
    { S, INVALID, FMS_REASON_ODDS_FOR_SHARE, has_colon,
      "These are odds (A : B); this line asks for the share of {label} alone, a probability. Give the whole "
      "part as odds on one line ({part} = A : B), or each share on its own line." },
    { N | F, INVALID, FMS_REASON_RATIO_NOT_ASKED, has_colon,
      "':' writes odds of shares (1.3c = A : B); this item asks for one {what}." },
    { N | S, INCORRECT, FMS_REASON_NOT_FINITE, not_finite, "Your answer is {given}, which is not a finite number; "
                                                           "expected {expected}." },
    /* Accepted. */
    { N | S, CORRECT, FMS_REASON_OK, within_tol_plain, "Correct." },
    { N | S, CORRECT, FMS_REASON_OK, within_tol, "Correct: read as {given}." },
    { N | S, CORRECT, FMS_REASON_ROUNDED, rounded,
      "Correct: {given} is the exact value {expected} rounded to {digits} significant digits." },
    { N, CORRECT, FMS_REASON_NEAR_ZERO_SIGN, near_zero_flipped,
      "Accepted as \xe2\x89\x88 0 on this problem's scale, but the sign is wrong: the exact value is {expected}, "
      "you gave {given}." },
    { N, CORRECT, FMS_REASON_NEAR_ZERO, near_zero,
      "Correct: the exact value is {expected}, \xe2\x89\x88 {given} on this problem's scale." },
    { F, INCORRECT, FMS_REASON_UNSUBSTITUTED, uses_u,
      "Your formula still has the velocity u: write u out in terms of {vars} (from x_t = (1 \xe2\x88\x92 t)\xc2\xb7"
      "\xce\xb5 + t\xc2\xb7x1 and u = x1 \xe2\x88\x92 \xce\xb5)." },
    { F, CORRECT, FMS_REASON_OK, formula_same, "Correct: equal to {formula} at {points} random points." },
    /* Mistakes a TA recognises. */
    { S, INCORRECT, FMS_REASON_ZERO_FOR_TINY, zero_for_tiny,
      "The exact value is {expected}, not 0: {label} is rare here, not impossible (compare in log space: "
      "w_k \xe2\x88\x9d p_k\xc2\xb7" "exp(\xe2\x88\x92\xce\xb5_k\xc2\xb2/2))." },
    { N, INCORRECT, FMS_REASON_WRONG_POINT, wrong_point,
      "You gave {point} = {point_value}: v points at x\xcc\x82" "1 = E[x1 | x_t, t] = {expected}, the data points "
      "weighted by their shares, not at {point}." },
    { N, INCORRECT, FMS_REASON_WRONG_SIGN, wrong_sign,
      "Expected {expected}, you gave {given}: the sign is flipped; check the order of each subtraction." },
    { N | S, INCORRECT, FMS_REASON_OTHER_LABEL, other_label,
      "{given} is the value for {other}; for {label} it is {expected}. Are {label} and {other} swapped?" },
    { S, INCORRECT, FMS_REASON_ODDS_FOR_SHARE, odds,
      "{given} are the odds of {label} against {other} (w_{label} / w_{other}); a share is a probability: "
      "{label}'s is {expected}." },
    { S, INCORRECT, FMS_REASON_NOT_NORMALISED, not_normalised,
      "Your shares for {part} are in the right proportions but sum to {sum}, not 1: divide each by the sum "
      "(w_k = p_k\xc2\xb7" "exp(\xe2\x88\x92\xce\xb5_k\xc2\xb2/2) / \xce\xa3_j p_j\xc2\xb7"
      "exp(\xe2\x88\x92\xce\xb5_j\xc2\xb2/2)); {label}'s share is {expected}." },
    { S, INCORRECT, FMS_REASON_NEAR_ONE, near_one,
      "{given} says the other labels get {others_given} of the supervision; they get {complement}: at this "
      "(x_t, t) {label} is all but certain, and its share is 1 \xe2\x88\x92 {complement}." },
    { S, INCORRECT, FMS_REASON_NOT_A_PROBABILITY, not_a_probability,
      "You gave {given}, but a share is a probability, between 0 and 1; expected {expected}." },
    { N | S, INCORRECT, FMS_REASON_LOW_PRECISION, one_digit_rounded,
      "{given} is {expected} rounded to one significant digit: give at least two." },
    { N | S, INCORRECT, FMS_REASON_LOW_PRECISION, digits_not_rounded,
      "{given} is not {expected} rounded to {digits} significant digits, which is {rounded}: keep more digits "
      "until the end." },
    { N | S, INCORRECT, FMS_REASON_LOW_PRECISION, close_5pc,
      "Expected {expected}, you gave {given}: close, but not within 0.1%; keep more digits until the end." },
    { F, INCORRECT, FMS_REASON_E_FOR_EPSILON, e_as_eps,
      "e is Euler's number (2.71828\xe2\x80\xa6) here, not the noise: write the noise as {eps}. With \xce\xb5 "
      "in place of e your formula is right." },
    { F, INCORRECT, FMS_REASON_WRONG_SIGN, formula_negated,
      "Your formula is the negative of the expected one: at {where}: yours gives {yours}, expected {want}." },
    { F, INCORRECT, FMS_REASON_DOMAIN_MISMATCH, formula_undefined,
      "Your formula is undefined where the expected one is defined: at {where} yours gives {yours}, "
      "expected {want}." },
    /* Nothing recognised. */
    { N | S, INCORRECT, FMS_REASON_WRONG_VALUE, always, "Expected {expected}, you gave {given}." },
    { F, INCORRECT, FMS_REASON_WRONG_FORMULA, always, "At {where}: yours gives {yours}, expected {want} ({formula})." },
};
const size_t fms_mistakes_count = sizeof fms_mistakes / sizeof fms_mistakes[0];

const fms_mistake *fms_mistakes_find(fms_mistake_ctx *c)
{
    const fms_mistake *last = NULL;
    for (size_t i = 0; i < fms_mistakes_count; i++) {
        const fms_mistake *m = &fms_mistakes[i];
        if (!(m->kinds & (1u << c->item->kind)))
            continue;
        last = m;
        if (m->applies(c))
            return m;
    }
    return last;
}

/* ---- messages ----------------------------------------------------------- */

/* A value for feedback, 6 significant digits, UTF-8 minus. */
static void show(double x, char buf[FMS_NUM_MAX])
{
    if (isnan(x))
        snprintf(buf, FMS_NUM_MAX, "undefined");
    else if (isinf(x))
        snprintf(buf, FMS_NUM_MAX, "%s", x > 0 ? "\xe2\x88\x9e" : "\xe2\x88\x92\xe2\x88\x9e");
    else
        fms_numfmt_text(x, 6, buf);
}

/* sign·exp(l) with sig digits (the value may lie outside a double's range). */
static void show_log(int sign, double l, int sig, char buf[FMS_NUM_MAX])
{
    if (sign == 0)
        snprintf(buf, FMS_NUM_MAX, "0");
    else if (fms_numfmt_text_exp(l, sig, buf) != FMS_OK)
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

static void show_expected(const fms_key_item *it, int sig, char buf[FMS_NUM_MAX])
{
    if (it->kind == FMS_ITEM_SHARE)
        show_log(1, it->log_value, sig, buf);
    else if (sig == 6)
        show(it->value, buf);
    else
        fms_numfmt_text(it->value, sig, buf);
}

/* The variables of a formula as the sheet writes them ("x_t, ε, t"). */
static void show_vars(const char *vars, char *buf, size_t n)
{
    static const struct { const char *name, *shown; } shown[] = {
        { "eps", "\xce\xb5" }, { "eps_theta", "\xce\xb5_\xce\xb8" }, { "dt", "\xce\x94t" },
    };
    size_t len = 0;
    buf[0] = '\0';
    for (const char *v = vars ? vars : ""; *v && len + 1 < n;) {
        size_t k = strcspn(v, " ");
        char name[32];
        snprintf(name, sizeof name, "%.*s", (int)k, v);
        const char *s = name;
        for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++)
            if (strcmp(shown[i].name, name) == 0)
                s = shown[i].shown;
        len += (size_t)snprintf(buf + len, n - len, "%s%s", len ? ", " : "", s);
        v += k;
        v += *v == ' ';
    }
}

/* log of 1 − the exact share: the other labels' shares summed when they are
 * known (exact also when the share rounds to 1), else −expm1(ℓ). */
static double complement_log(const fms_mistake_ctx *c)
{
    double sum = -INFINITY;
    for (size_t j = 0; c->group && j < c->ngroup; j++) {
        double l = c->group[j].log_value;
        if (&c->group[j] != c->item)
            sum = sum == -INFINITY ? l : fmax(sum, l) + log1p(exp(-fabs(sum - l)));
    }
    return c->group ? sum : log(-expm1(c->item->log_value));
}

typedef struct slot { const fms_mistake_ctx *c; char *buf; size_t n; char num[FMS_NUM_MAX]; } slot;

static void f_given(slot *s)
{
    const fms_mistake_ctx *c = s->c;
    if (!c->finite || c->item->kind == FMS_ITEM_NUMBER)
        show(c->given, s->num);
    else
        show_log(c->sign, c->log_abs, 6, s->num);
}
static void f_expected(slot *s) { show_expected(s->c->item, 6, s->num); }
static void f_rounded(slot *s)
{
    int d = s->c->written.digits;
    show_expected(s->c->item, d > 0 && d <= 17 ? d : 6, s->num);
}
static void f_label(slot *s) { snprintf(s->buf, s->n, "%s", s->c->label ? s->c->label : s->c->item->id); }
/* The label a predicate found (other), or the data point (point); NULL when none. */
static const fms_key_item *other_item(const fms_mistake_ctx *c)
{
    return c->group && c->other < c->ngroup ? &c->group[c->other] : NULL;
}
static int has_point(const fms_mistake_ctx *c)
{
    return c->data && c->point >= 0 && (size_t)c->point < c->data->n;
}
static void f_other(slot *s) { snprintf(s->buf, s->n, "%s", other_item(s->c) ? label_of(other_item(s->c)) : "?"); }
static void f_other_expected(slot *s)
{
    if (other_item(s->c))
        show_expected(other_item(s->c), 6, s->num);
}
static void f_point(slot *s) { snprintf(s->buf, s->n, "%s", has_point(s->c) ? s->c->data->labels[s->c->point] : "?"); }
static void f_point_value(slot *s)
{
    if (has_point(s->c))
        show(s->c->data->x[s->c->point], s->num);
}
static void f_digits(slot *s) { snprintf(s->buf, s->n, "%d", s->c->written.digits); }
static void f_complement(slot *s) { show_log(1, complement_log(s->c), 6, s->num); }
static void f_others_given(slot *s) { show(-expm1(s->c->log_abs), s->num); }
static void f_part(slot *s)
{
    const char *id = s->c->item->id, *dot = strrchr(id, '.');
    snprintf(s->buf, s->n, "%.*s", dot ? (int)(dot - id) : (int)strlen(id), id);
}
static void f_sum(slot *s) { show_log(1, s->c->sum_log, 6, s->num); }
static void f_formula(slot *s) { snprintf(s->buf, s->n, "%s", s->c->item->formula ? s->c->item->formula : ""); }
static void f_vars(slot *s) { show_vars(s->c->item->vars, s->buf, s->n); }
static void f_eps(slot *s)
{
    const char *v = s->c->item->vars;
    snprintf(s->buf, s->n, "%s", v && strstr(v, "eps_theta") ? "eps_theta or \xce\xb5_\xce\xb8" : "eps or \xce\xb5");
}
static void f_what(slot *s) { snprintf(s->buf, s->n, "%s", s->c->item->kind == FMS_ITEM_FORMULA ? "formula" : "number"); }
static void f_points(slot *s) { snprintf(s->buf, s->n, "%d", s->c->points); }
static void f_where(slot *s) { snprintf(s->buf, s->n, "%s", s->c->where); }
static void f_yours(slot *s) { show(s->c->yours, s->num); }
static void f_want(slot *s) { show(s->c->want, s->num); }

/* The {names} of the messages: each writes into buf, or a number into num. */
static const struct { const char *name; void (*fill)(slot *s); } slots[] = {
    { "given", f_given }, { "expected", f_expected }, { "rounded", f_rounded }, { "label", f_label },
    { "other", f_other }, { "other_expected", f_other_expected }, { "point", f_point },
    { "point_value", f_point_value }, { "digits", f_digits }, { "complement", f_complement },
    { "others_given", f_others_given }, { "part", f_part }, { "sum", f_sum }, { "formula", f_formula },
    { "vars", f_vars }, { "eps", f_eps }, { "what", f_what }, { "points", f_points }, { "where", f_where },
    { "yours", f_yours }, { "want", f_want },
};

/* The text of {name} for c into buf; 0 when the name is unknown. */
static int fill(const fms_mistake_ctx *c, const char *name, char *buf, size_t n)
{
    for (size_t i = 0; i < sizeof slots / sizeof slots[0]; i++)
        if (strcmp(slots[i].name, name) == 0) {
            slot s = { c, buf, n, "" };
            buf[0] = '\0';
            slots[i].fill(&s);
            if (s.num[0])
                snprintf(buf, n, "%s", s.num);
            return 1;
        }
    return 0;
}

void fms_mistakes_say(const fms_mistake *m, const fms_mistake_ctx *c, char *out, size_t n)
{
    size_t len = 0;
    out[0] = '\0';
    for (const char *s = m->message; *s && len + 1 < n;) {
        const char *close = *s == '{' ? strchr(s, '}') : NULL;
        char name[32], val[512];
        if (close && (size_t)(close - s) < sizeof name) {
            snprintf(name, sizeof name, "%.*s", (int)(close - s - 1), s + 1);
            if (fill(c, name, val, sizeof val)) {
                len += (size_t)snprintf(out + len, n - len, "%s", val);
                s = close + 1;
                continue;
            }
        }
        out[len++] = *s++;
        out[len] = '\0';
    }
    if (len >= n)
        fms_utf8_trim_tail(out);   /* cut at a character boundary: reports must stay UTF-8 */
}
