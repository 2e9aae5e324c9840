/* notation.h — what students write, turned into the plain notation expr.h reads.
 *
 * Students copy the sheet ("≈ 0"), paste LaTeX from their notes and keep
 * the habits of their keyboards.  fms_notation_read rewrites an answer as
 * written into one value in plain notation:
 *
 *   chains     "u = (x_t − ε)/t", "x_{t+Δt} = x_t + …", "ε_A = 0.5",
 *              "−3.1e-19 ≈ 0", "≈ 0", "~0": the value after the last '=' or
 *              '≈' (also ≃, ∼, '~' and \approx, \simeq, \sim) is the answer;
 *              what comes before it (a left-hand side, the working) is not
 *              graded.  '=' and '≈' inside parentheses do not split.
 *   LaTeX      $…$, \(…\), \frac{a}{b} (also \dfrac, \tfrac, \frac12),
 *              \sqrt{x}, e^{-45}, x_{t}, \varepsilon, \epsilon, \theta,
 *              \epsilon_\theta, \Delta t, \delta, \pi, \cdot, \times, \div,
 *              \exp, \log, \ln, \left( \right) (and \big…), \, \; \! \quad,
 *              \mathrm{e}, \text{…}, \operatorname{…}, \hat{x}; braces are
 *              parentheses.  Another command is refused, named.
 *   numbers    a decimal comma alone in a number ("-0,5", "9,5"; in a ratio,
 *              one per term: "0,5 : 0,5"), a closing full stop ("0.5."),
 *              "2.86x10^-20" and "2.86 X 10⁻²⁰" for 2.86×10^-20.
 *
 * Contract: the result is valid UTF-8 whenever the text is; nothing is
 * guessed — a comma before exactly three digits ("1,000": one thousand or
 * one?) is refused (FMS_EDOM) rather than read.
 */
#ifndef FMS_NOTATION_H
#define FMS_NOTATION_H

#include "base/status.h"

/* Longest answer text read (bytes): a sheet line is at most 4096. */
#define FMS_NOTATION_MAX_LEN 8192

/* What fms_notation_read rewrote (bits of fms_notation.rewritten). */
enum {
    FMS_NOTATION_LATEX = 1,   /* LaTeX commands, braces or $ */
    FMS_NOTATION_CHAIN = 2,   /* a chain: the last value was kept */
    FMS_NOTATION_COMMA = 4,   /* a decimal comma */
    FMS_NOTATION_STOP = 8,    /* a closing full stop */
    FMS_NOTATION_TIMES = 16   /* x or X read as × before 10^ */
};

typedef struct fms_notation {
    char *value;          /* the answer in plain notation (malloc'd) */
    int nvalues;          /* values written in the chain (1 when no chain) */
    int approx;           /* the value follows ≈ (or ~, \approx, ...) */
    unsigned rewritten;   /* FMS_NOTATION_* bits */
} fms_notation;

/* Reads text (UTF-8) as described above; on success out->value must be
 * released with fms_notation_clear (out is cleared on failure).
 * Errors (err, which may be NULL, gets one sentence):
 *   FMS_EINVAL   an unbalanced '{' or '}', a LaTeX command not read here, a
 *                \frac without two arguments, nothing after the last '=',
 *                text longer than FMS_NOTATION_MAX_LEN or nested too deep;
 *   FMS_EDOM     a comma that may be a decimal comma or a thousands
 *                separator ("1,000");
 *   FMS_ENOMEM. */
fms_status fms_notation_read(const char *text, fms_notation *out, fms_error *err);

/* Releases what fms_notation_read allocated; out may be cleared twice. */
void fms_notation_clear(fms_notation *n);

/* A number as written: its significant digits and the place of the last one. */
typedef struct fms_decimal {
    int neg;              /* written with a minus sign */
    int digits;           /* significant digits written: from the first non-zero
                             digit to the last digit, zeros included ("0.50" has
                             2, "100" has 3, "0" has 0) */
    long long last_e10;   /* the power of ten of the last digit written ("2.9e-20":
                             −21; "0.50": −2; "100": 0) */
} fms_decimal;

/* Returns 1 and fills out when plain (the output of fms_notation_read) is one
 * number written in decimal: an optional sign, digits with an optional point,
 * and an optional exponent "e-20", "×10^-20", "·10^(-20)", "*10**-20" or
 * "·10⁻²⁰"; else returns 0. */
int fms_notation_decimal(const char *plain, fms_decimal *out);

#endif /* FMS_NOTATION_H */
