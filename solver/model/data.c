/* data.c — see data.h. */
#include "model/data.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/numfmt.h"

int fms_data_label_valid(const char *s)
{
    if (s == NULL || s[0] == '\0' || strlen(s) >= FMS_LABEL_MAX)
        return 0;
    for (size_t i = 0; s[i] != '\0'; i++) {
        unsigned char c = (unsigned char)s[i];
        int alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
        int digit = c >= '0' && c <= '9';
        if (!(alpha || (i > 0 && digit)))
            return 0;
    }
    return 1;
}

void fms_data_free(fms_data *d)
{
    if (d == NULL)
        return;
    free(d->labels);
    free(d->x);
    free(d->prob);
    free(d->log_prob);
    free(d->x_l);
    free(d->log_prob_l);
    free(d);
}

fms_status fms_data_create(fms_data **out, size_t n, const char *const labels[],
                           const double x[], const double w[], fms_error *err)
{
    *out = NULL;
    if (n == 0 || n > FMS_DATA_MAX_POINTS)
        return fms_data_create_l(out, n, labels, NULL, NULL, err);
    long double *xl = calloc(n, sizeof *xl), *wl = calloc(n, sizeof *wl);
    fms_status st;
    if (xl == NULL || wl == NULL) {
        st = fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    } else {
        for (size_t k = 0; k < n; k++) {
            xl[k] = x[k];
            wl[k] = w ? w[k] : 1.0L;
        }
        st = fms_data_create_l(out, n, labels, xl, wl, err);
    }
    free(xl);
    free(wl);
    return st;
}

fms_status fms_data_create_l(fms_data **out, size_t n, const char *const labels[],
                             const long double x[], const long double w[], fms_error *err)
{
    *out = NULL;
    if (n == 0)
        return fms_error_set(err, FMS_EINVAL, 0, "the data set has no points");
    if (n > FMS_DATA_MAX_POINTS)
        return fms_error_set(err, FMS_EINVAL, 0, "the data set has %zu points; at most %d are allowed",
                             n, FMS_DATA_MAX_POINTS);
    long double total = 0.0L;
    for (size_t k = 0; k < n; k++) {
        if (!fms_data_label_valid(labels[k]))
            return fms_error_set(err, FMS_EINVAL, 0,
                                 "label '%.40s' is not a word (letters, digits, '_', at most %d characters)",
                                 labels[k] ? labels[k] : "", FMS_LABEL_MAX - 1);
        for (size_t j = 0; j < k; j++)
            if (strcmp(labels[j], labels[k]) == 0)
                return fms_error_set(err, FMS_EINVAL, 0, "label '%s' is used twice", labels[k]);
        if (!isfinite(x[k]) || !isfinite((double)x[k]))
            return fms_error_set(err, FMS_EINVAL, 0, "the value of '%s' is not a finite number", labels[k]);
        long double wk = w ? w[k] : 1.0L;
        if (!(isfinite(wk) && wk > 0.0L))
            return fms_error_set(err, FMS_EINVAL, 0,
                                 "the probability of '%s' must be a positive number, not %Lg", labels[k], wk);
        total += wk;
    }
    if (!isfinite(total) || !isfinite((double)total))
        return fms_error_set(err, FMS_ERANGE, 0, "the probabilities add up to more than a double holds");

    fms_data *d = calloc(1, sizeof *d);
    if (d == NULL)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    d->n = n;
    d->labels = calloc(n, sizeof *d->labels);
    d->x = calloc(n, sizeof *d->x);
    d->prob = calloc(n, sizeof *d->prob);
    d->log_prob = calloc(n, sizeof *d->log_prob);
    d->x_l = calloc(n, sizeof *d->x_l);
    d->log_prob_l = calloc(n, sizeof *d->log_prob_l);
    if (!d->labels || !d->x || !d->prob || !d->log_prob || !d->x_l || !d->log_prob_l) {
        fms_data_free(d);
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    }
    long double log_total = logl(total);
    for (size_t k = 0; k < n; k++) {
        long double wk = w ? w[k] : 1.0L;
        memcpy(d->labels[k], labels[k], strlen(labels[k]) + 1);
        d->x_l[k] = x[k];
        d->x[k] = (double)x[k];
        d->prob[k] = (double)(wk / total);
        /* log w − log Σw keeps tiny probabilities exact where wk/total would underflow. */
        d->log_prob_l[k] = logl(wk) - log_total;
        d->log_prob[k] = (double)d->log_prob_l[k];
    }
    *out = d;
    return FMS_OK;
}

long fms_data_find(const fms_data *d, const char *label)
{
    if (d == NULL || label == NULL)
        return -1;
    for (size_t k = 0; k < d->n; k++)
        if (strcmp(d->labels[k], label) == 0)
            return (long)k;
    return -1;
}

void fms_data_range(const fms_data *d, double *lo, double *hi)
{
    *lo = *hi = d->x[0];
    for (size_t k = 1; k < d->n; k++) {
        if (d->x[k] < *lo)
            *lo = d->x[k];
        if (d->x[k] > *hi)
            *hi = d->x[k];
    }
}

double fms_data_spread(const fms_data *d)
{
    double lo, hi;
    fms_data_range(d, &lo, &hi);
    return hi - lo;
}

double fms_data_mean(const fms_data *d)
{
    double m = 0.0;
    for (size_t k = 0; k < d->n; k++)
        m += d->prob[k] * d->x[k];
    return m;
}

/* Copies s[0..len) trimmed of blanks into out (size cap); returns 0 if it does not fit. */
static int copy_trimmed(const char *s, size_t len, char *out, size_t cap)
{
    while (len > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (len >= cap)
        return 0;
    memcpy(out, s, len);
    out[len] = '\0';
    return 1;
}

fms_status fms_data_parse(const char *spec, fms_data **out, fms_error *err)
{
    *out = NULL;
    if (spec == NULL)
        return fms_error_set(err, FMS_EINVAL, 0, "no data given");
    size_t cap = 1;
    for (const char *p = spec; *p; p++)
        if (*p == ',')
            cap++;
    if (cap > FMS_DATA_MAX_POINTS)
        return fms_error_set(err, FMS_EINVAL, 0, "the data has more than %d points", FMS_DATA_MAX_POINTS);
    char (*labels)[FMS_LABEL_MAX] = calloc(cap, sizeof *labels);
    const char **label_ptrs = calloc(cap, sizeof *label_ptrs);
    long double *x = calloc(cap, sizeof *x);
    long double *w = calloc(cap, sizeof *w);
    fms_status st = FMS_OK;
    size_t n = 0;
    if (!labels || !label_ptrs || !x || !w) {
        st = fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
        goto done;
    }
    const char *item = spec;
    for (;;) {
        const char *end = strchr(item, ',');
        size_t len = end ? (size_t)(end - item) : strlen(item);
        char buf[256];
        if (!copy_trimmed(item, len, buf, sizeof buf)) {
            st = fms_error_set(err, FMS_EINVAL, 0, "data item '%.40s...' is too long", item);
            goto done;
        }
        char *eq = strchr(buf, '=');
        if (eq == NULL) {
            st = fms_error_set(err, FMS_EINVAL, 0, "data item '%s' is not LABEL=VALUE or LABEL=VALUE:PROB", buf);
            goto done;
        }
        *eq = '\0';
        char *value = eq + 1;
        char *colon = strchr(value, ':');
        if (colon)
            *colon = '\0';
        if (!copy_trimmed(buf, strlen(buf), labels[n], FMS_LABEL_MAX) || !fms_data_label_valid(labels[n])) {
            st = fms_error_set(err, FMS_EINVAL, 0, "data label '%.40s' is not a word (letters, digits, '_')", buf);
            goto done;
        }
        if (fms_numfmt_parse_ld(value, &x[n]) != FMS_OK) {
            st = fms_error_set(err, FMS_EINVAL, 0, "the value of '%s' is not a number: '%.40s'", labels[n], value);
            goto done;
        }
        w[n] = 1.0L;
        if (colon && fms_numfmt_parse_ld(colon + 1, &w[n]) != FMS_OK) {
            st = fms_error_set(err, FMS_EINVAL, 0, "the probability of '%s' is not a number: '%.40s'",
                               labels[n], colon + 1);
            goto done;
        }
        label_ptrs[n] = labels[n];
        n++;
        if (end == NULL)
            break;
        item = end + 1;
    }
    st = fms_data_create_l(out, n, label_ptrs, x, w, err);
done:
    free(labels);
    free(label_ptrs);
    free(x);
    free(w);
    return st;
}
