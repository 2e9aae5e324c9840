/* param.c — see param.h for the formulas and the singular points. */
#include "model/param.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/numfmt.h"

static const char *const names[FMS_PARAM_COUNT] = { "velocity", "epsilon", "x1", "score", "v" };
static const char *const titles[FMS_PARAM_COUNT] = { "velocity", "ε-prediction", "x1-prediction", "score",
                                                     "v-prediction" };

/* Why P's output does not depend on x1 where D_P = 0: "%s" is t, then Q's title. */
static const char *const flat_reasons[FMS_PARAM_COUNT] = {
    "at t = %s the velocity does not depend on x1 (α̇·σ − σ̇·α = 0), so it cannot fix the %s",
    "at t = %s the ε-prediction does not depend on x1 (α = 0), so it cannot fix the %s",
    "at t = %s σ = 0, so x_t = α·x1 already fixes x1 and the x1-prediction says nothing about the noise: "
    "it cannot fix the %s",
    "at t = %s the score does not depend on x1 (α = 0), so it cannot fix the %s",
    "at t = %s the v-prediction does not depend on x1, so it cannot fix the %s",
};

/* The twenty conversions, [from][to], in the notation of fms_param_formula. */
static const char *const formulas[FMS_PARAM_COUNT][FMS_PARAM_COUNT] = {
    [FMS_PARAM_X1] = {
        [FMS_PARAM_EPSILON] = "epsilon = (x_t - alpha*x1)/sigma",
        [FMS_PARAM_VELOCITY] = "velocity = alpha_dot*x1 + sigma_dot*(x_t - alpha*x1)/sigma",
        [FMS_PARAM_SCORE] = "score = (alpha*x1 - x_t)/sigma^2",
        [FMS_PARAM_V] = "v = (alpha*x_t - (alpha^2 + sigma^2)*x1)/sigma",
    },
    [FMS_PARAM_EPSILON] = {
        [FMS_PARAM_X1] = "x1 = (x_t - sigma*epsilon)/alpha",
        [FMS_PARAM_VELOCITY] = "velocity = (alpha_dot*x_t - (alpha_dot*sigma - sigma_dot*alpha)*epsilon)/alpha",
        [FMS_PARAM_SCORE] = "score = -epsilon/sigma",
        [FMS_PARAM_V] = "v = ((alpha^2 + sigma^2)*epsilon - sigma*x_t)/alpha",
    },
    [FMS_PARAM_VELOCITY] = {
        [FMS_PARAM_X1] = "x1 = (sigma*velocity - sigma_dot*x_t)/(alpha_dot*sigma - sigma_dot*alpha)",
        [FMS_PARAM_EPSILON] = "epsilon = (alpha_dot*x_t - alpha*velocity)/(alpha_dot*sigma - sigma_dot*alpha)",
        [FMS_PARAM_SCORE] =
            "score = (alpha*velocity - alpha_dot*x_t)/(sigma*(alpha_dot*sigma - sigma_dot*alpha))",
        [FMS_PARAM_V] = "v = ((alpha_dot*alpha + sigma_dot*sigma)*x_t - (alpha^2 + sigma^2)*velocity)"
                        "/(alpha_dot*sigma - sigma_dot*alpha)",
    },
    [FMS_PARAM_SCORE] = {
        [FMS_PARAM_X1] = "x1 = (x_t + sigma^2*score)/alpha",
        [FMS_PARAM_EPSILON] = "epsilon = -sigma*score",
        [FMS_PARAM_VELOCITY] = "velocity = (alpha_dot*x_t + sigma*(alpha_dot*sigma - sigma_dot*alpha)*score)/alpha",
        [FMS_PARAM_V] = "v = -sigma*(x_t + (alpha^2 + sigma^2)*score)/alpha",
    },
    [FMS_PARAM_V] = {
        [FMS_PARAM_X1] = "x1 = (alpha*x_t - sigma*v)/(alpha^2 + sigma^2)",
        [FMS_PARAM_EPSILON] = "epsilon = (sigma*x_t + alpha*v)/(alpha^2 + sigma^2)",
        [FMS_PARAM_VELOCITY] = "velocity = ((alpha_dot*alpha + sigma_dot*sigma)*x_t - (alpha_dot*sigma - "
                               "sigma_dot*alpha)*v)/(alpha^2 + sigma^2)",
        [FMS_PARAM_SCORE] = "score = -(sigma*x_t + alpha*v)/(sigma*(alpha^2 + sigma^2))",
    },
};

static const char *const self_formulas[FMS_PARAM_COUNT] = { "velocity = velocity", "epsilon = epsilon", "x1 = x1",
                                                            "score = score", "v = v" };

static int valid(fms_param p)
{
    return (unsigned)p < FMS_PARAM_COUNT;
}

fms_status fms_param_parse(const char *text, fms_param *out, fms_error *err)
{
    if (text != NULL && out != NULL) {
        while (*text == ' ' || *text == '\t')
            text++;
        size_t n = strcspn(text, " \t\r\n");
        if (text[n + strspn(text + n, " \t\r\n")] == '\0')
            for (int i = 0; i < FMS_PARAM_COUNT; i++)
                if (strlen(names[i]) == n && strncmp(text, names[i], n) == 0) {
                    *out = (fms_param)i;
                    return FMS_OK;
                }
    }
    return fms_error_set(err, FMS_EINVAL, 0,
                         "unknown parameterization '%.40s': use velocity, epsilon, x1, score or v",
                         text ? text : "");
}

const char *fms_param_name(fms_param p)
{
    return valid(p) ? names[p] : "?";
}

const char *fms_param_title(fms_param p)
{
    return valid(p) ? titles[p] : "?";
}

const char *fms_param_formula(fms_param from, fms_param to)
{
    if (!valid(from) || !valid(to))
        return NULL;
    return from == to ? self_formulas[from] : formulas[from][to];
}

fms_status fms_param_basis(fms_param p, const fms_schedule_point *s, long double *c_x1, long double *c_eps)
{
    if (!valid(p) || s == NULL || c_x1 == NULL || c_eps == NULL)
        return FMS_EINVAL;
    const long double inv_sigma = s->sigma > 0.0L ? 1.0L / s->sigma : INFINITY;
    const long double basis[FMS_PARAM_COUNT][2] = {
        [FMS_PARAM_VELOCITY] = { s->alpha_dot, s->sigma_dot },
        [FMS_PARAM_EPSILON] = { 0.0L, 1.0L },
        [FMS_PARAM_X1] = { 1.0L, 0.0L },
        [FMS_PARAM_SCORE] = { 0.0L, -inv_sigma },
        [FMS_PARAM_V] = { -s->sigma, s->alpha },
    };
    *c_x1 = basis[p][0];
    *c_eps = basis[p][1];
    return FMS_OK;
}

/* D_P = c_x1·σ − c_eps·α, in closed form (schedule.h). */
static long double det(fms_param p, const fms_schedule_point *s)
{
    switch (p) {
    case FMS_PARAM_VELOCITY: return s->snr_rate;
    case FMS_PARAM_EPSILON: return -s->alpha;
    case FMS_PARAM_X1: return s->sigma;
    case FMS_PARAM_SCORE: return s->sigma > 0.0L ? s->alpha / s->sigma : INFINITY;
    default: return -s->norm;
    }
}

/* C_PQ = p_x1·q_eps − p_eps·q_x1; the two entries that are not a single
 * product of the basis are taken in closed form. */
static long double cross(fms_param p, fms_param q, const fms_schedule_point *s)
{
    if ((p == FMS_PARAM_VELOCITY && q == FMS_PARAM_V) || (p == FMS_PARAM_V && q == FMS_PARAM_VELOCITY))
        return p == FMS_PARAM_VELOCITY ? s->norm_rate : -s->norm_rate;
    if ((p == FMS_PARAM_SCORE && q == FMS_PARAM_V) || (p == FMS_PARAM_V && q == FMS_PARAM_SCORE))
        return p == FMS_PARAM_SCORE ? -1.0L : 1.0L;
    long double p1, p2, q1, q2;
    fms_param_basis(p, s, &p1, &p2);
    fms_param_basis(q, s, &q1, &q2);
    /* Every remaining product has a zero or unit factor: no rounding to speak of. */
    return (p1 == 0.0L || q2 == 0.0L ? 0.0L : p1 * q2) - (p2 == 0.0L || q1 == 0.0L ? 0.0L : p2 * q1);
}

static int defined(fms_param p, const fms_schedule_point *s)
{
    long double c1, c2;
    fms_param_basis(p, s, &c1, &c2);
    return isfinite(c1) && isfinite(c2);
}

/* The sentence for a conversion whose source or target has no finite value at s. */
static void undefined_reason(fms_param from, fms_param to, const fms_schedule_point *s, const char *t, char *out,
                             size_t size)
{
    long double c1, c2;
    fms_param_basis(from, s, &c1, &c2);
    const int source = !(isfinite(c1) && isfinite(c2));
    const fms_param bad = source ? from : to;
    char tail[96];
    snprintf(tail, sizeof tail, source ? "and cannot be converted to the %s" : "and the %s cannot be converted to it",
             titles[source ? to : from]);
    if (bad == FMS_PARAM_SCORE)
        snprintf(out, size, "at t = %s σ = 0, so the score −ε/σ is not defined %s", t, tail);
    else
        snprintf(out, size, "at t = %s %s infinite (the schedule has a vertical tangent), so the velocity is not "
                 "defined %s", t, isfinite(s->sigma_dot) ? "α̇ is" : isfinite(s->alpha_dot) ? "σ̇ is" : "α̇ and σ̇ are",
                 tail);
}

fms_status fms_param_coef(fms_param p, const fms_schedule_point *s, long double x_t, long double *a,
                          long double *b, fms_error *err)
{
    if (!valid(p) || s == NULL || a == NULL || b == NULL)
        return fms_error_set(err, FMS_EINVAL, 0, "invalid parameterization or point");
    if (p == FMS_PARAM_X1) {
        *a = 1.0L;
        *b = 0.0L;
        return FMS_OK;
    }
    if (!(s->sigma > 0.0L) || !defined(p, s))
        return fms_error_set(err, FMS_EDOM, 0, "at t = %Lg the %s is not an affine function of x1 alone (%s)",
                             s->t, titles[p], s->sigma > 0.0L ? "a rate is infinite" : "σ = 0");
    long double c1, c2;
    fms_param_basis(p, s, &c1, &c2);
    *a = det(p, s) / s->sigma;
    *b = c2 * x_t / s->sigma;
    return FMS_OK;
}

static void set_undetermined(fms_param_conversion *out)
{
    out->determined = 0;
    out->value = out->scale = out->offset = NAN;
}

fms_status fms_param_convert(fms_param from, fms_param to, const fms_schedule_point *s, long double x_t,
                             long double y, fms_param_conversion *out, fms_error *err)
{
    if (!valid(from) || !valid(to) || s == NULL || out == NULL)
        return fms_error_set(err, FMS_EINVAL, 0, "invalid parameterization, point or output");
    if (!isfinite(x_t) || !isfinite(y))
        return fms_error_set(err, FMS_EDOM, 0, "x_t and the model output must be finite numbers");
    memset(out, 0, sizeof *out);
    out->from = from;
    out->to = to;
    char t[FMS_NUM_MAX];
    fms_numfmt_key((double)s->t, 15, t);
    const long double dp = det(from, s), dq = det(to, s);
    out->gain = from == to ? 1.0 : dp != 0.0L ? (double)fabsl(dq / dp) : INFINITY;
    out->x1_gain = dp != 0.0L ? (double)(s->sigma / fabsl(dp)) : INFINITY;
    if (from == to) {
        out->determined = 1;
        out->value = (double)y;
        out->scale = 1.0;
        return FMS_OK;
    }
    if (!defined(from, s) || !defined(to, s)) {
        set_undetermined(out);
        out->gain = out->x1_gain = INFINITY;
        undefined_reason(from, to, s, t, out->reason, sizeof out->reason);
        return FMS_OK;
    }
    const long double c = cross(from, to, s);
    long double scale, offset;
    if (dp != 0.0L) {
        scale = dq / dp;
        offset = c * x_t / dp;
        out->value = (double)((dq * y + c * x_t) / dp);
    } else {
        long double p1, p2, q1, q2;
        fms_param_basis(from, s, &p1, &p2);
        fms_param_basis(to, s, &q1, &q2);
        const int p_zero = p1 == 0.0L && p2 == 0.0L;
        if (p_zero && dq == 0.0L) {
            /* P says nothing, but Q ∥ (α, σ) is fixed by x_t alone. */
            scale = 0.0L;
            offset = (q1 * s->alpha + q2 * s->sigma) / s->norm * x_t;
        } else if (p_zero || c != 0.0L) {
            set_undetermined(out);
            out->gain = out->x1_gain = INFINITY;
            snprintf(out->reason, sizeof out->reason, flat_reasons[from], t, titles[to]);
            return FMS_OK;
        } else {
            /* Q is parallel to P (ε ↔ score at α = 0): a plain ratio, no x_t. */
            scale = (p1 * q1 + p2 * q2) / (p1 * p1 + p2 * p2);
            offset = 0.0L;
        }
        out->value = (double)(scale * y + offset);
        out->gain = (double)fabsl(scale);
    }
    out->determined = 1;
    out->scale = (double)scale;
    out->offset = (double)offset;
    if (!isfinite(out->value))
        return fms_error_set(err, FMS_ERANGE, 0, "the %s converted to the %s overflows a double", titles[from],
                             titles[to]);
    return FMS_OK;
}
