/* data.h — the data distribution of a flow-matching exercise.
 *
 * A data set is a finite list of labelled points x_k with probabilities p_k.
 * The caller may give any positive weights; they are normalised so that the
 * p_k sum to 1, and log p_k is kept alongside because the engine works in log
 * space.  Labels are words ([A-Za-z_][A-Za-z0-9_]*, at most FMS_LABEL_MAX - 1
 * bytes) and unique within a set.
 */
#ifndef FMS_DATA_H
#define FMS_DATA_H

#include <stddef.h>

#include "base/status.h"

#define FMS_LABEL_MAX 32
/* The most points a data set may hold: far above any exercise sheet, low
 * enough that a typo in a generated file cannot ask for gigabytes. */
#define FMS_DATA_MAX_POINTS 100000

typedef struct fms_data {
    size_t n;          /* number of points, at least 1 */
    char (*labels)[FMS_LABEL_MAX];
    double *x;         /* the points x_k */
    double *prob;      /* p_k, normalised: sum 1 */
    double *log_prob;  /* log p_k */
    long double *x_l;        /* x_k as parsed, in extended precision (the engine's input) */
    long double *log_prob_l; /* log p_k in extended precision */
} fms_data;

/* Returns 1 when s is a valid label (a word as above), 0 otherwise. */
int fms_data_label_valid(const char *s);

/* Builds a data set of n points from labels, values x and positive weights w
 * (weights are normalised: p_k = w_k / Σ w_j).  w may be NULL for equal
 * weights.  On success *out owns copies of everything and must be released
 * with fms_data_free.  Errors: FMS_EINVAL for n = 0, n > FMS_DATA_MAX_POINTS,
 * an invalid or duplicate label, a non-finite x_k, or a weight that is not a
 * finite positive number; FMS_ENOMEM.  err (may be NULL) names the bad item. */
fms_status fms_data_create(fms_data **out, size_t n, const char *const labels[],
                           const double x[], const double w[], fms_error *err);

/* Like fms_data_create with values and weights in extended precision, as
 * parsed from decimal text (fms_numfmt_parse_ld), so that "0.1" keeps 19 digits. */
fms_status fms_data_create_l(fms_data **out, size_t n, const char *const labels[],
                             const long double x[], const long double w[], fms_error *err);

/* Releases a data set made by this module; NULL is allowed. */
void fms_data_free(fms_data *d);

/* Parses a command-line spec "LABEL=VALUE[:WEIGHT],LABEL=VALUE[:WEIGHT],..."
 * (blanks around items allowed; a missing weight counts as 1) into a data
 * set.  Errors as fms_data_create, plus FMS_EINVAL for a malformed item; err
 * names the item. */
fms_status fms_data_parse(const char *spec, fms_data **out, fms_error *err);

/* Returns the index of the point labelled label, or -1 when there is none. */
long fms_data_find(const fms_data *d, const char *label);

/* Returns max_k x_k − min_k x_k (0 for a single point). */
double fms_data_spread(const fms_data *d);

/* Sets *lo and *hi to the smallest and the largest data point (d->n >= 1). */
void fms_data_range(const fms_data *d, double *lo, double *hi);

/* Returns E[x1] = Σ p_k·x_k, the mean of the data. */
double fms_data_mean(const fms_data *d);

#endif /* FMS_DATA_H */
