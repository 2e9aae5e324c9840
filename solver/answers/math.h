/* math.h — the mathematics of a worked answer as a small expression tree.
 *
 * A formula is never a pre-formatted string: it is a tree of symbols (with
 * subscripts), data labels (always marked as labels), numbers, + − · /,
 * fractions, powers, function application, grouping and relations
 * (= ≈ ∝ →), built once and written by every renderer (text, Markdown,
 * LaTeX, JSON) from the same nodes.
 *
 * Numbers know what they are (fms_mnum): an exact input, a rational value
 * computed from the inputs (to a known relative error), or a value known only
 * approximately (through exp); a value may be given as m·10^e10 far outside
 * the range of a double, or as 1 − m·10^e10.  Rounding to the shown digits
 * and the choice between "=" and "≈" happen in ONE place,
 * fms_math_num_show() and fms_math_rel_shown(): a relation marked
 * FMS_REL_AUTO shows "=" only when every number on both sides is shown
 * exactly, "≈" otherwise.
 *
 * Formulas are written in a small syntax (fms_math_parse), so that builders
 * read like the sheet:  "eps_%l = (x_t - t*x_1)/(1 - t) =~ %n".
 *   names     x t u v k j p P w g eps theta phi Dt E (expectation) Sum exp
 *             log max min N, hat(x) (x̂), words in quotes: "clean"
 *   x_1       subscript (x_1 is written x1 in text, x_1 in TeX), x_{t+Dt}
 *   %n %l %m  a number (fms_mnum *), a label (const char *), a subtree
 *   + - * /   ('*' is the centred dot, '/' an inline slash), unary minus
 *   ^         power: eps^2, 10^-20, e^{...}; frac(a, b) a displayed fraction
 *   f(a, b)   application; norm(a) is ‖a‖, (a) a visible group, {a} an invisible one
 *   | ,       the conditional bar and the argument separator inside (...)
 *   = ~ =~ -> prop : dist < >   relations: =, ≈, "= or ≈ by exactness", →, ∝, ratio, ~ (distributed as), <, >
 * Nodes live in a pool (fms_math_pool) and are released with it.
 * Errors: fms_math_parse returns NULL on a malformed formula (a builder bug,
 * caught by the unit tests) or when memory runs out (the pool's failed flag).
 */
#ifndef FMS_MATH_H
#define FMS_MATH_H

#include <stdarg.h>
#include <stddef.h>

#include "base/numfmt.h"
#include "base/strbuf.h"

/* ---- numbers ------------------------------------------------------------ */

typedef enum fms_num_class {
    FMS_NUM_EXACT,    /* the value itself (an input as parsed, a whole number) */
    FMS_NUM_RATIONAL, /* a rational function of the inputs, computed to relative error relerr */
    FMS_NUM_APPROX    /* known only approximately (through exp, log, a rounded sum) */
} fms_num_class;

typedef enum fms_num_form {
    FMS_FORM_PLAIN,     /* value = mant */
    FMS_FORM_SCI,       /* value = mant·10^e10 (mant may be any finite number) */
    FMS_FORM_ONE_MINUS, /* value = 1 − mant·10^e10, for shares within a hair of 1 */
    FMS_FORM_EXP        /* value = e^mant (|mant| beyond any power of ten we can split) */
} fms_num_form;

typedef struct fms_mnum {
    fms_num_form form;
    fms_num_class cls;
    long double mant;
    long long e10;
    long double relerr; /* RATIONAL: bound on |computed − true|/|true| ("=" within it);
                           APPROX: the same bound, when known (0: unknown), caps the digits shown */
    int sig;            /* digits to show (1..18); 0: the shortest exact form (EXACT) or 6 */
} fms_mnum;

/* A number as shown: sign, digits d1.d2d3… and the power of ten of d1. */
typedef struct fms_num_shown {
    int neg, zero;
    int one_minus;       /* shown as "1 − digits·10^exp10" */
    int is_exp;          /* shown as e^(digits) (FMS_FORM_EXP) */
    char digits[24];     /* significant digits, no trailing zeros, NUL-terminated */
    long long exp10;
    int exact;           /* the shown digits are the value (see the header) */
} fms_num_shown;

/* The worked answers' default number of significant digits. */
#define FMS_MATH_SIG 6

fms_mnum fms_mnum_exact(long double x);                 /* an input, shown in full */
fms_mnum fms_mnum_rational(long double x, long double relerr);
fms_mnum fms_mnum_approx(long double x);
fms_mnum fms_mnum_sci(long double mant, long long e10, fms_num_class cls);
fms_mnum fms_mnum_one_minus(long double mant, long long e10); /* 1 − mant·10^e10, APPROX */
fms_mnum fms_mnum_exp(long double log_x);               /* e^log_x, APPROX */
/* A value of model/exact.h (mantissa, power of ten, relative error bound) in
 * class cls: its bound becomes relerr (RATIONAL: "=" within it; APPROX: the
 * digits shown).  A zero within its bound is an approximate 0. */
fms_mnum fms_mnum_from_sci(const fms_sci *s, fms_num_class cls);

/* Rounds n to its digits and says whether they are the value: the one place
 * where numbers are rounded.  EXACT: the digits read back as the value;
 * RATIONAL: they lie within relerr of the value; APPROX: never exact. */
void fms_math_num_show(const fms_mnum *n, fms_num_shown *out);

/* The value of n as a double (0 or ±inf outside the range), for JSON. */
double fms_mnum_double(const fms_mnum *n);

/* ---- the tree ------------------------------------------------------------ */

typedef enum fms_math_kind {
    FMS_M_SYM,   /* a named symbol: text, tex */
    FMS_M_WORD,  /* an upright word inside math ("clean") */
    FMS_M_LABEL, /* a data label */
    FMS_M_NUM,
    FMS_M_SUB,   /* a[0] with subscript a[1] */
    FMS_M_HAT,   /* a[0] with a hat */
    FMS_M_NEG,   /* −a[0] */
    FMS_M_BIN,   /* a[0] op a[1]: + − · / */
    FMS_M_FRAC,  /* a[0] over a[1] */
    FMS_M_POW,   /* a[0]^a[1] */
    FMS_M_CALL,  /* a[0](a[1], ..., a[n-1]) */
    FMS_M_NORM,  /* ‖a[0]‖ */
    FMS_M_GROUP, /* (a[0]), or invisible when text is NULL */
    FMS_M_COND,  /* a[0] | a[1] */
    FMS_M_REL    /* a[0] rel[0] a[1] rel[1] a[2] ... */
} fms_math_kind;

typedef enum fms_rel {
    FMS_REL_EQ, FMS_REL_APPROX, FMS_REL_AUTO, FMS_REL_TO, FMS_REL_PROP, FMS_REL_RATIO, FMS_REL_DIST, FMS_REL_LT, FMS_REL_GT
} fms_rel;

typedef struct fms_math fms_math;
struct fms_math {
    fms_math_kind kind;
    char op;                /* FMS_M_BIN: '+', '-', '*', '/' */
    const char *text, *tex; /* SYM; WORD and LABEL use text; GROUP: "(" when visible */
    fms_mnum num;           /* NUM */
    size_t n;
    fms_math **a;           /* children */
    fms_rel *rel;           /* REL: n − 1 relations */
};

/* A pool the nodes and their strings are allocated from. */
typedef struct fms_math_pool {
    void *blocks;
    int failed;
} fms_math_pool;

void *fms_math_pool_alloc(fms_math_pool *p, size_t size);
char *fms_math_pool_strdup(fms_math_pool *p, const char *s);
void fms_math_pool_free(fms_math_pool *p);

/* Parses a formula (see the header) with its %n, %l and %m arguments.
 * Returns the tree, or NULL on a syntax error (err_at then points into fmt). */
fms_math *fms_math_parse(fms_math_pool *p, const char *fmt, ...);
fms_math *fms_math_vparse(fms_math_pool *p, const char *fmt, va_list *ap, const char **err_at);

/* A number node. */
fms_math *fms_math_num(fms_math_pool *p, fms_mnum n);

/* 1 when every number in the tree is shown exactly. */
int fms_math_shows_exact(const fms_math *m);

/* The relation shown between a[i] and a[i + 1] of a REL node: FMS_REL_AUTO
 * becomes FMS_REL_EQ or FMS_REL_APPROX from the exactness of both sides. */
fms_rel fms_math_rel_shown(const fms_math *rel, size_t i);

/* Writes the tree as UTF-8 text (the terminal's form: x1, ε_A, 2.86·10^-20). */
void fms_math_text(const fms_math *m, fms_strbuf *out);

/* Writes the tree as TeX math (KaTeX and pandoc alike: no space before the
 * end, \mathrm{A} for labels, \mathbb{E}, x_{\text{clean}}). */
void fms_math_tex(const fms_math *m, fms_strbuf *out);

/* Writes a shown number as text or TeX (used by the renderers and JSON). */
void fms_math_num_text(const fms_mnum *n, fms_strbuf *out);
void fms_math_num_tex(const fms_mnum *n, fms_strbuf *out);

#endif /* FMS_MATH_H */
