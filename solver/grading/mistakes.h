/* mistakes.h — the table that decides what an answer is and what to tell the student.
 *
 * Once an answer has been read (a number, a share, a formula), its verdict,
 * reason code and feedback come from one table, fms_mistakes (mistakes.c),
 * read top to bottom: the first row whose kind matches the item and whose
 * predicate holds decides.  A row is
 *
 *   { kinds, verdict, reason, predicate, message }
 *
 * where the predicate looks only at the given and expected values in an
 * fms_mistake_ctx (and at the other items of the key: the other labels of the
 * same part, the data points), and the message is a template whose {names}
 * are filled from the context:
 *
 *   {given} {expected}       the value given and the exact value (6 digits)
 *   {label} {other}          this item's data label; the label a predicate found
 *   {other_expected}         that label's exact value
 *   {point} {point_value}    the data point a predicate found, and its value
 *   {digits} {rounded}       significant digits written; the exact value
 *                            rounded to them
 *   {complement}             1 − the exact share (the others' share), exactly
 *   {others_given}           1 − the share given
 *   {part} {sum}             the item's part (1.3c); the sum of the shares given
 *   {formula} {vars} {eps}   the expected formula; its variables as the sheet
 *                            writes them; how to write the noise (eps or ε)
 *   {what}                   "number" or "formula"
 *   {points} {where} {yours} {want}   formulas: the random points, the first
 *                            point where they differ, both values there
 *
 * The first rows accept (OK, ROUNDED, NEAR_ZERO, NEAR_ZERO_SIGN), the middle
 * rows recognise a mistake (WRONG_SIGN, OTHER_LABEL, NEAR_ONE, ...), the last
 * row of each kind is the plain WRONG_VALUE or WRONG_FORMULA.  A course adds
 * a mistake by adding a row before those: a predicate of a few lines and a
 * sentence.  docs/grading.md lists the rows with an example each.
 *
 * The group rows (OTHER_LABEL, ODDS_FOR_SHARE, NOT_NORMALISED, WRONG_POINT)
 * look at groups of at most FMS_MISTAKES_MAX_GROUP labels or points; beyond
 * that they do not apply (a data set of thousands of points is not a
 * homework sheet, and the grader stays linear in the sheet's size).
 */
#ifndef FMS_MISTAKES_H
#define FMS_MISTAKES_H

#include <stddef.h>

#include "grading/grade.h"
#include "grading/notation.h"

#define FMS_MISTAKES_MAX_GROUP 64

/* What a row's predicate may look at. */
typedef struct fms_mistake_ctx {
    const fms_key_item *item;
    const fms_data *data;                 /* NULL: the data points are not known */
    const fms_key_item *group;            /* the items of the item's group (the labels
                                             of its part, in key order), or NULL */
    size_t ngroup;                        /* ≤ FMS_MISTAKES_MAX_GROUP */
    const char *label;                    /* the item's data label, or NULL */

    /* NUMBER and SHARE: the value given, sign·exp(log_abs), also as a double */
    int sign;
    double log_abs;
    double given;
    int finite;                           /* 0: the answer has no finite value */
    int plain;                            /* written as a plain decimal number (no
                                             echo of how it was read is needed) */
    fms_decimal written;                  /* its digits when it is one number
                                             written in decimal; else all 0 */
    int colon;                            /* the answer holds ':' (odds) */

    /* SHARE: the values given for every item of the group (phase two of a
     * sheet), NULL when some are not known */
    const int *group_sign;
    const double *group_log;

    /* FORMULA: the comparison at random points */
    int points, same, negated, undefined; /* points used; equal, −equal, undefined there */
    int uses_u;                           /* the answer still has the velocity u */
    int e_as_eps;                         /* with e read as ε, the answer is right */
    char where[256];                      /* the first point where they differ */
    double yours, want;                   /* the values there */

    /* Set by predicates for the message. */
    size_t other;                         /* index in group of the label found */
    long point;                           /* index in data of the point found */
    double sum_log;                       /* log of the sum of the shares given */
} fms_mistake_ctx;

typedef struct fms_mistake {
    unsigned kinds;                       /* bits 1 << fms_item_kind */
    fms_verdict verdict;
    fms_reason reason;
    int (*applies)(fms_mistake_ctx *c);
    const char *message;                  /* a template, see above */
} fms_mistake;

/* The table, in the order it is read. */
extern const fms_mistake fms_mistakes[];
extern const size_t fms_mistakes_count;

/* The first row of the table for c->item's kind whose predicate holds (the
 * last row of each kind always holds).  Never NULL. */
const fms_mistake *fms_mistakes_find(fms_mistake_ctx *c);

/* Writes row m's message for c into out (size n, UTF-8, cut at a character
 * boundary when too long).  An unknown {name} is copied as written. */
void fms_mistakes_say(const fms_mistake *m, const fms_mistake_ctx *c, char *out, size_t n);

/* Whether a number g matches the exact w by the numbers' rule
 * (|g − w| ≤ FMS_GRADE_REL_TOL·|w| + FMS_GRADE_ABS_TOL_PER_SCALE·scale with
 * abs_too, the relative part alone without). */
int fms_mistakes_number_close(double g, double w, double scale, int abs_too);

/* Whether sign·exp(l) matches the exact share exp(lw) (relative FMS_GRADE_REL_TOL). */
int fms_mistakes_share_close(int sign, double l, double lw);

/* Whether a number written with the digits of d, of value sign·exp(l), is the
 * exact value wsign·exp(lw) correctly rounded to those digits (two or more):
 * |given − exact| ≤ half a unit of the last digit (both neighbours of a tie
 * pass). */
int fms_mistakes_rounded(const fms_decimal *d, int sign, double l, int wsign, double lw);

#endif /* FMS_MISTAKES_H */
