/* expr.h — reading a person's answer: a number or a formula in free notation.
 *
 * Students write answers the way they write them on paper: "−1", "1/2",
 * "1.5×10^-20", "1.5·10⁻²⁰", "50%", "exp(-45)", "e^-45", "(x - ε)/t",
 * "x + Δt·(x − ε_θ(x_t,t))/t".  This module reads such text with its own
 * tokenizer and recursive-descent parser (it checks the syntax, resolves the
 * aliases of the variables, limits length and nesting) into a tree, and
 * evaluates the tree: as a double, or in log space.
 *
 * Notation accepted:
 *   numbers      12, .5, 1.5e-20 (an exponent: never 1.5·e − 20), 50%
 *   operators    + - * / ^ and ** ; × · ⋅ ∗ for *, ÷ ∕ for /, the minus sign
 *                U+2212 and the dashes U+2010..U+2015 for -, superscript
 *                exponents ⁻²⁰; implicit products 2t, 2(x − 1), (a)(b)
 *   constants    e (Euler's number), pi, π
 *   functions    exp, log (natural; ln is the same), sqrt, abs, sin, cos
 *   variables    only those of the answer (see fms_expr_parse), by canonical
 *                name or alias: x_t (xt, x, xₜ), eps (ε, ϵ, epsilon),
 *                eps_theta (ε_θ, εθ, epsilon_theta, eps_theta(x_t, t)),
 *                t, dt (Δt, delta_t, Delta_t, δt, h), and u (u_θ, uθ,
 *                u_theta, u_θ(x_t, t)) where a caller allows it; the model
 *                outputs of the other parameterizations u (velocity), x1,
 *                s (score), v and u_theta, x1_theta (x1_θ), s_theta, v_theta,
 *                each standing for its _theta twin when only that one is
 *                asked, as ε for ε_θ
 *   labels       with fms_expr_parse_opts, the labels of a data set, each
 *                read as its data point x_k ("(A + B)/2")
 * A number followed by a bare e ("2e", "2.86 e-20") is refused rather than
 * guessed (FMS_EDOM): that is the classic misreading of scientific notation.
 * A number followed by e^ is a product, since an exponent never starts with
 * '^': "-10e^-45" is −10·e^−45.
 *
 * Values of constant answers may lie far outside the range of a double (a
 * posterior share of e^-800): fms_expr_eval_log evaluates them in log space.
 */
#ifndef FMS_EXPR_H
#define FMS_EXPR_H

#include <stddef.h>

#include "base/status.h"

/* The longest answer text read (bytes), and the deepest nesting of
 * parentheses, operators and function calls: beyond these an answer is
 * refused, which keeps the parser and the evaluation out of deep recursion
 * on hostile input such as 5,000 nested parentheses. */
#define FMS_EXPR_MAX_LEN 1000
#define FMS_EXPR_MAX_DEPTH 64
/* The most variables an answer may be allowed. */
#define FMS_EXPR_MAX_VARS 8

typedef struct fms_expr fms_expr;

/* Parses text (UTF-8) as an expression that may use the variables named in
 * vars (canonical names, space-separated, e.g. "x_t eps t"; NULL or "" for a
 * constant answer).  Aliases resolve to those names; when vars has eps_theta
 * but not eps, ε and its aliases mean eps_theta, and the other way round.
 * On success *out must be released with fms_expr_free.
 * Errors (err, which may be NULL, gets one sentence naming the culprit):
 *   FMS_EINVAL    empty text, a syntax error, text longer than
 *                 FMS_EXPR_MAX_LEN bytes or nested deeper than FMS_EXPR_MAX_DEPTH,
 *                 more than FMS_EXPR_MAX_VARS variables;
 *   FMS_ENOTFOUND a name that is neither an allowed variable, a constant nor
 *                 a function (the message quotes it);
 *   FMS_ENOMEM. */
fms_status fms_expr_parse(const char *text, const char *vars, fms_expr **out, fms_error *err);

struct fms_data;

/* What fms_expr_parse_opts reads beyond the text. */
typedef struct fms_expr_opts {
    const char *vars;              /* as fms_expr_parse's vars (NULL: a constant) */
    const struct fms_data *labels; /* NULL, or a data set whose labels read as
                                      their points x_k; a label that is also the
                                      name of a variable, function or constant
                                      (e, pi, exp, ...) keeps that meaning */
    const char *e_means;           /* NULL: e is Euler's number; else the
                                      canonical name of a variable of vars that
                                      e stands for (to ask "is e the noise ε?") */
} fms_expr_opts;

/* Like fms_expr_parse with the options o (o may be NULL: a constant).
 * Errors: those of fms_expr_parse, and FMS_EDOM for text that has two
 * readings and is refused rather than guessed ("2.86 e-20", "2e"): the
 * message says which readings. */
fms_status fms_expr_parse_opts(const char *text, const fms_expr_opts *o, fms_expr **out, fms_error *err);

/* Releases an expression; NULL is allowed. */
void fms_expr_free(fms_expr *e);

/* Returns 1 when the expression uses no variable, else 0. */
int fms_expr_is_constant(const fms_expr *e);

/* The variables the expression may use: the names of the vars list given to
 * fms_expr_parse, in that order (the order of vals), i from 0 to
 * fms_expr_nvars(e) − 1. */
int fms_expr_nvars(const fms_expr *e);
const char *fms_expr_var(const fms_expr *e, int i);

/* Returns 1 when the value of the expression depends on variable i (the
 * arguments of ε_θ(x_t, t), which are read and dropped, do not count). */
int fms_expr_uses_var(const fms_expr *e, int i);

/* Returns 1 when the expression uses the constant e (Euler's number). */
int fms_expr_uses_e(const fms_expr *e);

/* Evaluates the expression as a double; vals[i] is the value of the i-th
 * name of the vars list given to fms_expr_parse (vals may be NULL for a
 * constant; variables are then 0).  Each operator is the C one (+ − · / as
 * IEEE 754, ^ as pow, exp, log, sqrt, fabs), so *out may be ±inf or NaN
 * (1/0, log(−1), 10^400): callers decide what an undefined value means.
 * As GNU libmatheval did when it evaluated the answers (before this module
 * evaluated its tree itself), a part made of numbers only is computed once,
 * and an operand that is the number 0 or 1 is read as an identity: 0 + x,
 * x + 0, x − 0, 1·x, x·1 and x/1 are x; x^1 is x; x^0 and 1^x are 1.  These
 * are true identities (they change at most the sign of a zero).
 * libmatheval's 0^x = 0 is not kept: it is false for x ≤ 0, and it made
 * "… + 0^(t − 1)", undefined for every t < 1, grade as right.
 * Always returns FMS_OK. */
fms_status fms_expr_eval(const fms_expr *e, const double *vals, double *out);

/* Evaluates a constant expression in log space: the value is
 * sign·exp(*log_abs) with sign −1, 0 or +1 (log_abs is −inf when sign is 0).
 * Products, quotients, powers, exp, log, sqrt and sums are carried as
 * logarithms (sums by log-sum-exp), so exp(-800), 3.1e-500, 10^-500 and
 * 1/(1+exp(800)) keep their value where a double underflows.  Returns FMS_OK;
 * FMS_EINVAL when the expression has variables; FMS_EDOM when the value is
 * undefined (0/0, log of a negative number, a negative base to a fractional
 * power) or overflows even the log (exp(exp(1000))). */
fms_status fms_expr_eval_log(const fms_expr *e, int *sign, double *log_abs);

#endif /* FMS_EXPR_H */
