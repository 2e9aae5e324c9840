/* grade.h — grading a student's answer sheet against the answer key.
 *
 * The key comes from fms_key_build on the same exercise set (never from a
 * stored file).  An answer is first read as students write it (notation.h:
 * chains "u = …", "≈ 0", LaTeX, decimal commas; expr.h: the value), then
 * judged by the table of mistakes.h.  Each key item gets exactly one verdict
 * and a stable reason code, with a sentence of feedback:
 *
 *   numbers (ε, u, v, x̂1)  correct when |given − exact| ≤ 1e-3·|exact|; also
 *                          when the number written is the exact value
 *                          correctly rounded to its significant digits (two
 *                          or more: ROUNDED); also when |given − exact| ≤
 *                          1e-6·scale, scale being the spread of the data
 *                          (NEAR_ZERO: "0" for a value like −3e-19, which a sheet
 *                          calls ≈ 0; NEAR_ZERO_SIGN when the sign is flipped);
 *                          the x̂1 items read data labels as their points
 *                          ("1.3d.x1 = A");
 *   shares (w_k)           relative tolerance 1e-3, compared in log space
 *                          (|expm1(log given − log exact)| ≤ 1e-3), or
 *                          correctly rounded as above; no absolute tolerance,
 *                          so 0 is wrong for a share of order 1e-20 and
 *                          exp(-800) can be graded;
 *   formulas               equal (relative 1e-9) at FMS_GRADE_POINTS seeded
 *                          random points, t in [0.05, 0.95], x_t, ε, ε_θ in
 *                          [−2, 2], Δt in [0.001, 0.2] (rounded to short
 *                          decimals so the feedback shows the exact point);
 *                          points where the expected formula is undefined are
 *                          skipped.
 *
 * Reason codes: FMS_REASONS below, one table of code and meaning; the
 * reports print the code's name ("WRONG_SIGN"), stable for scripts.  New
 * codes are added at the end, so the numbers of the old ones do not change.
 *
 * Shares may also be answered per part as odds, in data order:
 * "1.3c = e^K : 1" answers 1.3c.A and 1.3c.B.
 *
 * Points: every item is worth 1 point until fms_grade_weigh applies the
 * exercise set's `points =` keys (a part's points shared equally by its items).
 */
#ifndef FMS_GRADE_H
#define FMS_GRADE_H

#include <stddef.h>

#include "model/data.h"
#include "model/key.h"
#include "grading/sheet.h"
#include "base/status.h"

#define FMS_GRADE_REL_TOL 1e-3
#define FMS_GRADE_ABS_TOL_PER_SCALE 1e-6
#define FMS_GRADE_CLOSE_REL 0.05
#define FMS_GRADE_FORMULA_REL 1e-9
#define FMS_GRADE_POINTS 16
#define FMS_GRADE_SEED 20251125UL

typedef enum fms_verdict {
    FMS_VERDICT_CORRECT,
    FMS_VERDICT_INCORRECT,
    FMS_VERDICT_INVALID,
    FMS_VERDICT_MISSING
} fms_verdict;

/* Why an item got its verdict: X(CODE, meaning) for each reason code. */
#define FMS_GRADE_STR_(x) FMS_GRADE_STR2_(x)
#define FMS_GRADE_STR2_(x) #x
#define FMS_REASONS(X)                                                                  \
    X(OK, "correct")                                                                    \
    X(WRONG_VALUE, "a number that is not the value")                                    \
    X(WRONG_SIGN, "the value with the opposite sign (or −formula)")                   \
    X(ZERO_FOR_TINY, "0 for a share that is tiny but not 0")                            \
    X(LOW_PRECISION, "within 5% but not within the tolerance: rounded too early")       \
    X(NOT_A_PROBABILITY, "a share below 0 or above 1")                                  \
    X(NOT_FINITE, "the answer evaluates to infinity or is undefined")                   \
    X(WRONG_FORMULA, "a formula that differs from the expected one")                    \
    X(DOMAIN_MISMATCH, "a formula undefined where the expected one is defined")         \
    X(PARSE_ERROR, "text that cannot be read as a value or formula")                    \
    X(NOT_A_NUMBER, "a word where a number is asked (\"ten\", \"x\")")                  \
    X(UNKNOWN_VARIABLE, "a formula that uses a name that is not its variable")          \
    X(BAD_RATIO, "a ratio (A : B) that cannot be a ratio of the shares")                \
    X(BLANK, "\"ID =\" with nothing after it (missing)")                                \
    X(TOO_LONG, "a line longer than " FMS_GRADE_STR_(FMS_SHEET_MAX_LINE) " bytes")      \
    X(DUPLICATE, "the id is answered on more than one line, and the answers disagree")  \
    X(MISSING, "the id is not answered")                                                \
    X(ROUNDED, "the exact value correctly rounded to the digits written (2 or more)")   \
    X(NEAR_ZERO, "within 1e-6 × the spread of the data of a value that is ≈ 0")         \
    X(NEAR_ZERO_SIGN, "accepted as ≈ 0 on the problem's scale, but the sign is wrong")  \
    X(OTHER_LABEL, "the value of another label of the part (A and B swapped)")          \
    X(WRONG_POINT, "a data point for x̂1, which is the posterior mean of the data")      \
    X(NEAR_ONE, "a share of 1 − (tiny) given as 0.99: the others do not get 1%")        \
    X(NOT_NORMALISED, "shares in the right proportions that do not sum to 1")           \
    X(ODDS_FOR_SHARE, "odds (w_A / w_B, or A : B) where one share is asked")            \
    X(UNSUBSTITUTED, "a formula that still has the velocity u")                         \
    X(E_FOR_EPSILON, "e, Euler's number, written for the noise ε")                      \
    X(RATIO_NOT_ASKED, "a ':' (odds) in an item that is not a share")                   \
    X(NOT_UTF8, "an answer with bytes that are not UTF-8 (a Latin-1 file)")             \
    X(AMBIGUOUS, "text with two readings, refused rather than guessed (2.86 e-20)")     \
    X(ENCODING, "a note on the file: not UTF-8 (UTF-16, Latin-1); save it as UTF-8")

typedef enum fms_reason {
#define FMS_REASON_ENUM_(code, meaning) FMS_REASON_##code,
    FMS_REASONS(FMS_REASON_ENUM_)
#undef FMS_REASON_ENUM_
    FMS_REASON_COUNT
} fms_reason;

/* Room for a number or a share as the key writes it (FMS_NUM_MAX, or
 * "exp(ℓ)"); a formula is not copied (fms_grade_item_expected). */
#define FMS_GRADE_EXPECTED_MAX 80

typedef struct fms_grade_item {
    const fms_key_item *key;
    fms_verdict verdict;
    fms_reason reason;
    long line;                         /* the sheet's line, 0 when missing */
    char expected[FMS_GRADE_EXPECTED_MAX]; /* a number's or share's key value, as `fmsolve key`
                                          * writes it; "" for a formula: read fms_grade_item_expected */
    char *got;                         /* the answer as written; NULL when missing */
    char *feedback;                    /* one or two sentences (UTF-8), never NULL */
    double max_points;                 /* what the item is worth (1 until fms_grade_weigh) */
    double points;                     /* max_points when correct, else 0 */
} fms_grade_item;

/* A line of the sheet that answers no item of the key. */
typedef struct fms_grade_unknown {
    long line;
    char *id;                          /* as written (or the start of the line) */
    char *note;                        /* why it was not graded */
} fms_grade_unknown;

/* A note on the whole sheet (its encoding). */
typedef struct fms_grade_note {
    long line;                         /* the line it concerns, 0 for the file */
    fms_reason reason;                 /* FMS_REASON_ENCODING */
    char *text;
} fms_grade_note;

typedef struct fms_grade {
    size_t n;                          /* = the key's item count, in key order */
    size_t ncorrect;
    fms_grade_item *items;
    size_t nunknown;
    fms_grade_unknown *unknown;        /* in line order */
    double score, max_score;           /* the items' points summed */
    int weighted;                      /* fms_grade_weigh applied `points =` keys */
    size_t nnotes;
    fms_grade_note *notes;
} fms_grade;

/* Grades one answer (text as written, after '=') to one key item and fills
 * out (verdict, reason, expected, got, feedback, points; out->line is left
 * alone).  Blank text gives MISSING/BLANK.  The mistakes that need the other
 * items of the key or the data points (OTHER_LABEL, ODDS_FOR_SHARE,
 * WRONG_POINT, labels in x̂1) are not recognised: see fms_grade_answer_with.
 * Release out with fms_grade_item_clear.
 * Errors: FMS_ENOMEM; FMS_EINVAL when the key's own formula cannot be read
 * (a bug, not the student's fault); FMS_EGSL when the GSL RNG cannot be made. */
fms_status fms_grade_answer(const fms_key_item *item, const char *text, fms_grade_item *out, fms_error *err);

/* Like fms_grade_answer for item, an item of key (built from a set with data
 * d); key and d may be NULL. */
fms_status fms_grade_answer_with(const fms_key *key, const fms_data *d, const fms_key_item *item, const char *text,
                                 fms_grade_item *out, fms_error *err);

/* Releases what fms_grade_answer allocated in item. */
void fms_grade_item_clear(fms_grade_item *item);

/* The key's value of the item as `fmsolve key` writes it: expected, or the
 * key item's formula (which the grade does not copy: a class of 10^5 items
 * would hold 10^5 buffers of a formula's size). */
const char *fms_grade_item_expected(const fms_grade_item *item);

/* Grades a whole sheet against key (built from a set with data d, whose
 * labels name the terms of a ratio).  Ids are matched exactly, then ignoring
 * case.  Every key item gets a verdict: MISSING when no line answers it (or
 * only blank ones); when several lines answer it, their grade when they all
 * get the same one (the same answer twice, or odds and a share that agree),
 * else INVALID/DUPLICATE.  Lines that answer nothing go to unknown; the
 * sheet's encoding, when it is not UTF-8, to notes.  Each item is worth 1
 * point.  On success *out must be released with fms_grade_free.
 * Errors: those of fms_grade_answer. */
fms_status fms_grade_sheet(const fms_key *key, const fms_data *d, const fms_sheet *sheet, fms_grade **out,
                           fms_error *err);

/* Applies the `points =` keys of set (the set g's key was built from): a
 * part worth P points shares them equally among its items (the labels of an
 * eps, target or share part; v and x̂1 of a limit part), an exercise without
 * parts shares its points among its items; without `points`, every item is
 * worth 1.  Sets each item's max_points and points and g's score and
 * max_score.  Calling it again gives the same result. */
void fms_grade_weigh(fms_grade *g, const fms_exset *set);

/* Releases a grade; NULL is allowed. */
void fms_grade_free(fms_grade *g);

/* "correct", "incorrect", "invalid", "missing". */
const char *fms_grade_verdict_name(fms_verdict v);

/* The name of a reason code, "OK", "WRONG_SIGN", ... (FMS_REASONS); "?" for
 * a value outside the enum. */
const char *fms_grade_reason_name(fms_reason r);

/* What a reason code means, one phrase of FMS_REASONS; "" outside the enum. */
const char *fms_grade_reason_meaning(fms_reason r);

#endif /* FMS_GRADE_H */
