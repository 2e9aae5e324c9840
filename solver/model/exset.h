/* exset.h — exercise sets: a flow-matching exercise sheet as data.
 *
 * An exercise set is read from an INI file (parsed with libinih):
 *
 *   [set]           title = ...                      (optional)
 *                   schedule = condot | poly:N | cosine | linear-vp | vp[:b,B] | ve:smin,smax
 *                   convention = data-at-1 | data-at-0   (schedule.h; default condot, data-at-1)
 *                   param = velocity | epsilon | x1 | score | v
 *                                    what the target and limit parts ask for (default velocity)
 *   [data]          LABEL = VALUE[, PROB]            one line per data point
 *   [ID]            a point exercise: t = T, x_t = X, parts = KIND, KIND, ...
 *                   (KIND is eps, target, share or limit; parts are a, b, c, ...)
 *                   text = the exercise's lead-in, a = part (a)'s question, ...
 *   [ID]            compare = ID1, ID2               why the two points differ
 *   [ID]            kind = eps_to_velocity | euler_eps   (the two derivations)
 *   [ID]            kind = convert, from = P, to = Q     (a model's output from P to Q, param.h)
 *   [ID]            kind = euler, model = P              (the Euler step with a P-model)
 *   any [ID]        points = P  or  points = Pa, Pb, ...  (optional): what the
 *                   exercise, or each of its parts, is worth when graded
 *                   (numbers ≥ 0; a list has one number per part)
 *
 * Values may continue on indented lines.  ';' and '#' start comment lines and
 * ' ;' an inline comment.  Text (title, text, questions) must be valid UTF-8
 * as base/utf8.h defines it (no overlong forms, no surrogates).  IDs look like "1.3" (letters, digits, '.', '-', '_',
 * ending in a digit, so that "1.3c" can name part (c) of exercise 1.3).
 *
 * On the sheet's own path (condot, data-at-1) eps_to_velocity and euler_eps
 * are the seed's 2.1 and 2.2; on any other path they are read as convert
 * from = epsilon, to = velocity and euler with model = epsilon.
 *
 * Contract: a file is either loaded whole and valid (every t in [0, 1), or on
 * another path every t where σ > 0 (and the velocity is defined when param
 * is velocity), every
 * number finite, every reference resolved) or refused with FMS_EINVAL /
 * FMS_EIO / FMS_ENOMEM and an fms_error whose line points at the culprit.
 *
 * Limits (docs/limits.md): at most FMS_EXSET_MAX_BYTES bytes, lines of at
 * most FMS_EXSET_MAX_LINE bytes, FMS_DATA_MAX_POINTS data points and
 * FMS_EXSET_MAX_EXERCISES exercises; each message names the limit.  Labels
 * and ids are checked for duplicates through hash indexes (base/index.h), so
 * loading costs time linear in the size of the file.
 */
#ifndef FMS_EXSET_H
#define FMS_EXSET_H

#include <stddef.h>

#include "model/affine.h"
#include "model/data.h"
#include "model/engine.h"
#include "model/param.h"
#include "model/schedule.h"
#include "base/index.h"
#include "base/status.h"

#define FMS_ID_MAX 32
#define FMS_MAX_PARTS 26
/* The largest exercise file: room for FMS_DATA_MAX_POINTS points written as
 * people write them ("x12345 = -0.123456789, 0.00001", up to 80 bytes a
 * line), and a cap that keeps a wrong file name from reading a disk image.
 * What a file asks to be computed is bounded by model/budget.h, not by this. */
#define FMS_EXSET_MAX_BYTES (8 * 1024 * 1024)
/* The longest line, in bytes before its newline. */
#define FMS_EXSET_MAX_LINE 4096
/* The most exercises (sections other than [set] and [data]) a set may hold. */
#define FMS_EXSET_MAX_EXERCISES 10000

typedef enum fms_part_kind {
    FMS_PART_EPS,     /* which ε produced x_t, per label: ε_k */
    FMS_PART_TARGET,  /* the target velocity per label: u_k */
    FMS_PART_SHARE,   /* how often the loop supervises toward each label: w_k */
    FMS_PART_LIMIT    /* what u_θ converges to: v, and where it points: x̂1 */
} fms_part_kind;

typedef enum fms_ex_kind {
    FMS_EX_POINT,           /* a query (x_t, t) with parts */
    FMS_EX_COMPARE,         /* contrast two point exercises */
    FMS_EX_EPS_TO_VELOCITY, /* derive u from x_t, ε, t */
    FMS_EX_EULER_EPS,       /* the Euler step driven by an ε-prediction model */
    FMS_EX_CONVERT,         /* convert a model's output from one parameterization to another */
    FMS_EX_EULER            /* the Euler step driven by a model of any parameterization */
} fms_ex_kind;

typedef struct fms_part {
    fms_part_kind kind;
    char *question;   /* the sheet's question for this part, or NULL */
} fms_part;

typedef struct fms_exercise {
    char id[FMS_ID_MAX];
    fms_ex_kind kind;
    long line;          /* line of the [ID] header */
    char *text;         /* lead-in text, or NULL */
    double t, x_t;      /* FMS_EX_POINT only */
    long double t_l, x_t_l; /* the same as parsed, in extended precision (the engine's input) */
    long double one_minus_t_l; /* 1 − t from the decimal digits (fms_numfmt_parse_one_minus) */
    size_t nparts;      /* FMS_EX_POINT only */
    fms_part parts[FMS_MAX_PARTS];
    size_t compare[2];  /* FMS_EX_COMPARE only: indices of two point exercises */
    fms_param from, to; /* FMS_EX_CONVERT only */
    fms_param model;    /* FMS_EX_EULER only: the model's parameterization */
    size_t npoints;     /* 0 (no points key), 1 (every part, or the whole exercise), or nparts */
    double points[FMS_MAX_PARTS]; /* the points of each part (points[0] when npoints is 1) */
} fms_exercise;

typedef struct fms_exset {
    char *title;        /* may be NULL */
    char *source;       /* the name used in messages (a path, or "built-in ...") */
    fms_data *data;
    size_t n;           /* number of exercises, in file order */
    fms_exercise *ex;
    fms_schedule schedule;          /* the path (default condot) */
    fms_time_convention convention; /* its time convention (default data-at-1) */
    fms_param param;                /* what the target and limit parts ask for (default velocity) */
    fms_index by_id;    /* the exercise ids' hash index (fms_exset_find) */
} fms_exset;

/* Loads and validates the exercise set in file path.  On success *out must
 * be released with fms_exset_free.  Errors: FMS_EIO (cannot open or read,
 * err->line 0), FMS_EINVAL (a bad line; err->line is its number and err->msg
 * says what is wrong), FMS_ENOMEM.  err->file is set to path. */
fms_status fms_exset_load_file(const char *path, fms_exset **out, fms_error *err);

/* Like fms_exset_load_file for len bytes of text in memory; name is used in
 * messages. */
fms_status fms_exset_load_string(const char *name, const char *text, size_t len,
                                 fms_exset **out, fms_error *err);

/* Loads the set built into the library (exercises/discussion11.ini). */
fms_status fms_exset_load_builtin(fms_exset **out, fms_error *err);

/* The text of the built-in set and its length (for `fmsolve --dump`-style uses and tests). */
const char *fms_exset_builtin_text(size_t *len);

/* Releases a set; NULL is allowed. */
void fms_exset_free(fms_exset *set);

/* Returns the index of exercise id, or -1 when there is none (a hash
 * lookup: constant expected time). */
long fms_exset_find(const fms_exset *set, const char *id);

/* Splits a user's reference "1.3" or "1.3c" into an exercise index and a
 * part index (-1 for the whole exercise).  Errors: FMS_ENOTFOUND with a
 * message naming the unknown id or part. */
fms_status fms_exset_resolve(const fms_exset *set, const char *ref, long *ex, long *part,
                             fms_error *err);

/* Evaluates the engine (fms_engine_eval_lt) at point exercise x of a set with
 * data d, with the exercise's inputs as parsed from its decimal text (t, 1 − t
 * and x_t in extended precision), so that every caller answers the exercise
 * to the same digits.  comp and post as for the engine.  Errors: FMS_EINVAL
 * when x is not a point exercise; otherwise the engine's. */
fms_status fms_exset_eval(const fms_data *d, const fms_exercise *x, fms_component *comp,
                             fms_posterior *post, fms_error *err);

/* 1 when the set's path is the seed sheet's, condot in data-at-1 time
 * (whatever its param), 0 otherwise. */
int fms_exset_seed_path(const fms_exset *set);

/* Evaluates the exact model on the set's path (affine.h) at point exercise x,
 * with its inputs as parsed: comp (set->data->n entries, or NULL) receives
 * ε_k, the velocity target u_k, a_k, ℓ_k and w_k; res (or NULL) the five
 * outputs; pt (or NULL) the schedule at x.  On condot the values are
 * fms_exset_eval's to the last bit.  Errors: FMS_EINVAL when x is not a
 * point exercise; otherwise those of fms_schedule_eval and fms_affine_eval. */
fms_status fms_exset_eval_path(const fms_exset *set, const fms_exercise *x, fms_component *comp,
                               fms_affine_result *res, fms_schedule_point *pt, fms_error *err);

/* The target of data point k in the set's parameterization at pt, from its
 * component c (fms_exset_eval_path): u_k for velocity, ε_k, x_k, the
 * conditional score −ε_k/σ, or α·ε_k − σ·x_k for v. */
double fms_exset_target(const fms_exset *set, const fms_schedule_point *pt, size_t k, const fms_component *c);

/* The name of a part kind ("eps", "target", "share", "limit"). */
const char *fms_exset_part_kind_name(fms_part_kind kind);

/* The name of an exercise kind ("point", "compare", "eps_to_velocity", "euler_eps", "convert", "euler"). */
const char *fms_exset_kind_name(fms_ex_kind kind);

#endif /* FMS_EXSET_H */
