/* dynreport.c — the reports of simulate, train and sample (see dynreport.h). */
#include "answers/dynreport.h"

#include <math.h>
#include <stdlib.h>

#include "base/json.h"
#include "base/numfmt.h"

/* ---- shared ------------------------------------------------------------- */

/* [a, b] as a JSON array, each as fms_json_num. */
static json_t *pair(double a, double b)
{
    json_t *p = json_array();
    json_array_append_new(p, fms_json_num(a));
    json_array_append_new(p, fms_json_num(b));
    return p;
}

static fms_status text_done(const fms_strbuf *out, fms_error *err)
{
    return fms_strbuf_status(out) == FMS_OK ? FMS_OK : fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
}

static fms_status json_done(json_t *root, json_t **out, fms_error *err)
{
    *out = root;
    return root ? FMS_OK : fms_error_set(err, FMS_ENOMEM, 0, "out of memory while building JSON");
}

static void key6(char out[FMS_NUM_MAX], double x)
{
    fms_numfmt_key(x, 6, out);
}

/* ---- simulate ----------------------------------------------------------- */

/* The exact share at the point, from its logarithm, so that 1e-400 prints. */
static void share_text(char out[FMS_NUM_MAX], double weight, double log_weight)
{
    double m;
    long long e;
    if (weight >= 1e-300 || fms_numfmt_exp10_split(log_weight, &m, &e) != FMS_OK)
        fms_numfmt_key(weight, 6, out);
    else
        fms_numfmt_key_e10(m, e, 6, out);
}

/* The table of labels: kept, share, interval, exact at the point and over the window. */
static void simulate_labels(const fms_data *d, const fms_simulate_result *r, fms_strbuf *b)
{
    char s1[FMS_NUM_MAX], s2[FMS_NUM_MAX], s3[FMS_NUM_MAX], s4[FMS_NUM_MAX], s5[FMS_NUM_MAX], s6[2 * FMS_NUM_MAX + 8];
    fms_strbuf_printf(b, "%-10s %12s %10s %-25s %-16s %s\n", "label", "kept", "share", "95% interval",
                      "exact (point)", "exact (window)");
    for (size_t k = 0; k < r->n; k++) {
        key6(s1, r->share[k]);
        key6(s2, r->ci_lo[k]);
        key6(s3, r->ci_hi[k]);
        share_text(s4, r->exact_point[k], r->exact_point_log[k]);
        key6(s5, r->exact_window[k]);
        snprintf(s6, sizeof s6, "[%s, %s]", s2, s3);
        fms_strbuf_printf(b, "%-10s %12llu %10s %-25s %-16s %s\n", d->labels[k], r->count[k], s1, s6, s4, s5);
    }
    for (size_t k = 0; k < r->n && r->hits > 0; k++) {
        if (r->count[k] != 0)
            continue;
        key6(s3, r->ci_hi[k]);
        share_text(s4, r->exact_point[k], r->exact_point_log[k]);
        fms_strbuf_printf(b, "%s was never seen among the kept samples: this run supports w_%s <= %s (95%%);\n"
                             "  the exact share at the point is %s.\n",
                          d->labels[k], d->labels[k], s3, s4);
    }
    if (r->hits == 0)
        fms_strbuf_puts(b, "No sample fell in the window: raise --samples or widen --window.\n");
}

fms_status fms_dynreport_simulate_text(const fms_data *d, const fms_exercise *ex, const fms_simulate_opts *o,
                                       const fms_simulate_result *r, fms_strbuf *out, fms_error *err)
{
    char s1[FMS_NUM_MAX], s2[FMS_NUM_MAX], s3[FMS_NUM_MAX];
    fms_strbuf_printf(out, "Exercise %s: t = %.15g, x_t = %.15g\n", ex->id, ex->t, ex->x_t);
    fms_strbuf_printf(out, "Ran L1-L5 %lld times (seed %llu); kept the samples with t in [%.6g, %.6g] and\n",
                      o->samples, (unsigned long long)o->seed, r->t_lo, r->t_hi);
    fms_strbuf_printf(out, "x_t in [%.6g, %.6g]: %llu kept.\n\n", r->x_lo, r->x_hi, r->hits);
    simulate_labels(d, r, out);
    fms_strbuf_puts(out, "\n");
    key6(s1, r->mean_target);
    key6(s2, r->mean_ci_lo);
    key6(s3, r->mean_ci_hi);
    fms_strbuf_printf(out, "mean target u  %s, 95%% interval [%s, %s]\n", s1, s2, s3);
    key6(s1, r->exact_velocity_point);
    key6(s2, r->exact_velocity_window);
    fms_strbuf_printf(out, "exact v        %s at the point, %s averaged over the window\n", s1, s2);
    return text_done(out, err);
}

fms_status fms_dynreport_simulate_json(const fms_data *d, const fms_exercise *ex, const fms_simulate_opts *o,
                                       const fms_simulate_result *r, json_t **out, fms_error *err)
{
    json_t *root = json_object(), *win = json_object(), *labels = json_array();
    json_object_set_new(root, "exercise", json_string(ex->id));
    json_object_set_new(root, "samples", json_integer(o->samples));
    json_object_set_new(root, "seed", json_integer((json_int_t)o->seed));
    json_object_set_new(win, "t", json_pack("[ff]", r->t_lo, r->t_hi));
    json_object_set_new(win, "x_t", json_pack("[ff]", r->x_lo, r->x_hi));
    json_object_set_new(root, "window", win);
    json_object_set_new(root, "hits", json_integer((json_int_t)r->hits));
    for (size_t k = 0; k < r->n; k++) {
        json_t *l = json_object();
        json_object_set_new(l, "label", json_string(d->labels[k]));
        json_object_set_new(l, "count", json_integer((json_int_t)r->count[k]));
        json_object_set_new(l, "share", fms_json_num(r->share[k]));
        json_object_set_new(l, "ci95", pair(r->ci_lo[k], r->ci_hi[k]));
        json_object_set_new(l, "exact_point", fms_json_num(r->exact_point[k]));
        json_object_set_new(l, "exact_window", fms_json_num(r->exact_window[k]));
        json_array_append_new(labels, l);
    }
    json_object_set_new(root, "labels", labels);
    json_object_set_new(root, "mean_target", fms_json_num(r->mean_target));
    json_object_set_new(root, "mean_target_ci95", pair(r->mean_ci_lo, r->mean_ci_hi));
    json_object_set_new(root, "exact_velocity_point", fms_json_num(r->exact_velocity_point));
    json_object_set_new(root, "exact_velocity_window", fms_json_num(r->exact_velocity_window));
    return json_done(root, out, err);
}

/* ---- train -------------------------------------------------------------- */

/* u_θ and the exact v at every point exercise of set (index by exercise). */
typedef struct train_points {
    double *learned, *exact;
} train_points;

static void train_points_free(train_points *p)
{
    free(p->learned);
    free(p->exact);
}

static fms_status train_points_eval(const fms_exset *set, fms_train_model *m, train_points *p, fms_error *err)
{
    p->learned = calloc(set->n + 1, sizeof *p->learned);
    p->exact = calloc(set->n + 1, sizeof *p->exact);
    if (!p->learned || !p->exact)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    for (size_t i = 0; i < set->n; i++) {
        const fms_exercise *ex = &set->ex[i];
        if (ex->kind != FMS_EX_POINT)
            continue;
        fms_posterior post;
        fms_status st = fms_exset_eval(set->data, ex, NULL, &post, err);
        if (st != FMS_OK)
            return st;
        p->exact[i] = post.velocity;
        /* A point outside the model's range gets no learned value (null / n/a). */
        fms_error e2;
        fms_error_clear(&e2);
        if (fms_train_eval(m, ex->t, ex->x_t, &p->learned[i], &e2) != FMS_OK)
            p->learned[i] = NAN;
    }
    return FMS_OK;
}

static void train_points_text(const fms_exset *set, const train_points *p, fms_strbuf *b)
{
    char s1[FMS_NUM_MAX], s2[FMS_NUM_MAX], s3[FMS_NUM_MAX];
    fms_strbuf_printf(b, "\n%-10s %8s %8s %12s %12s %12s\n", "exercise", "t", "x_t", "learned", "exact",
                      "difference");
    for (size_t i = 0; i < set->n; i++) {
        const fms_exercise *ex = &set->ex[i];
        if (ex->kind != FMS_EX_POINT)
            continue;
        const double learned = p->learned[i], exact = p->exact[i];
        key6(s1, learned);
        key6(s2, exact);
        fms_numfmt_key(learned - exact, 3, s3);
        fms_strbuf_printf(b, "%-10s %8.6g %8.6g %12s %12s %12s\n", ex->id, ex->t, ex->x_t,
                          isfinite(learned) ? s1 : "n/a", s2, isfinite(learned) ? s3 : "n/a");
    }
}

fms_status fms_dynreport_train_text(const fms_exset *set, const fms_train_opts *o, fms_train_model *m,
                                    fms_strbuf *out, fms_error *err)
{
    train_points p = { NULL, NULL };
    fms_status st = train_points_eval(set, m, &p, err);
    if (st == FMS_OK) {
        char s1[FMS_NUM_MAX];
        fms_strbuf_printf(out,
                          "Trained u_theta on %lld samples of L1-L5 (seed %llu; %lld outside the model's range).\n",
                          o->steps, (unsigned long long)o->seed, m->dropped);
        fms_strbuf_printf(out, "Model: %s.\n\n", m->description);
        fms_strbuf_puts(out, "held-out loss (mean squared error against the sampled targets u)\n");
        fms_strbuf_printf(out, "%12s  %s\n", "samples", "loss");
        for (size_t i = 0; i < m->nloss; i++) {
            key6(s1, m->loss[i]);
            fms_strbuf_printf(out, "%12lld  %s\n", m->loss_step[i], s1);
        }
        train_points_text(set, &p, out);
        st = text_done(out, err);
    }
    train_points_free(&p);
    return st;
}

static json_t *train_points_json(const fms_exset *set, const train_points *p)
{
    json_t *pts = json_array();
    for (size_t i = 0; i < set->n; i++) {
        const fms_exercise *ex = &set->ex[i];
        if (ex->kind != FMS_EX_POINT)
            continue;
        json_t *pt = json_object();
        json_object_set_new(pt, "exercise", json_string(ex->id));
        json_object_set_new(pt, "t", json_real(ex->t));
        json_object_set_new(pt, "x_t", json_real(ex->x_t));
        json_object_set_new(pt, "learned", fms_json_num(p->learned[i]));
        json_object_set_new(pt, "exact", fms_json_num(p->exact[i]));
        json_array_append_new(pts, pt);
    }
    return pts;
}

fms_status fms_dynreport_train_json(const fms_exset *set, const fms_train_opts *o, fms_train_model *m,
                                    json_t **out, fms_error *err)
{
    *out = NULL;
    train_points p = { NULL, NULL };
    fms_status st = train_points_eval(set, m, &p, err);
    if (st == FMS_OK) {
        json_t *root = json_object(), *loss = json_array();
        json_object_set_new(root, "steps", json_integer(o->steps));
        json_object_set_new(root, "seed", json_integer((json_int_t)o->seed));
        json_object_set_new(root, "model", json_string(m->description));
        for (size_t i = 0; i < m->nloss; i++) {
            json_t *step = json_array();
            json_array_append_new(step, json_integer(m->loss_step[i]));
            json_array_append_new(step, fms_json_num(m->loss[i]));
            json_array_append_new(loss, step);
        }
        json_object_set_new(root, "loss", loss);
        json_object_set_new(root, "points", train_points_json(set, &p));
        st = json_done(root, out, err);
    }
    train_points_free(&p);
    return st;
}

/* ---- sample ------------------------------------------------------------- */

/* The histogram of the end points, bars of up to 50 '#' (at least one for a
 * bin that is not empty). */
static void sample_histogram(const fms_sample_result *r, fms_strbuf *b)
{
    size_t maxc = 1;
    for (size_t i = 0; i < r->nbins; i++)
        if (r->hist[i] > maxc)
            maxc = r->hist[i];
    const double w = (r->hist_hi - r->hist_lo) / (double)r->nbins;
    fms_strbuf_puts(b, "\nhistogram of the end points\n");
    if (r->below)
        fms_strbuf_printf(b, "  below %-9.4g %10zu\n", r->hist_lo, r->below);
    for (size_t i = 0; i < r->nbins; i++) {
        double lo = r->hist_lo + (double)i * w;
        int bar = (int)((double)r->hist[i] * 50.0 / (double)maxc + 0.5);
        if (r->hist[i] > 0 && bar == 0)
            bar = 1;
        fms_strbuf_printf(b, "  [%7.4f, %7.4f) %10zu ", lo + 0.0, lo + w + 0.0, r->hist[i]);
        for (int j = 0; j < bar; j++)
            fms_strbuf_putn(b, "#", 1);
        fms_strbuf_puts(b, "\n");
    }
    if (r->above)
        fms_strbuf_printf(b, "  above %-9.4g %10zu\n", r->hist_hi, r->above);
}

static void sample_reference(const fms_sample_result *r, fms_strbuf *b)
{
    char s1[FMS_NUM_MAX], s2[FMS_NUM_MAX], s3[FMS_NUM_MAX];
    fms_numfmt_key(r->ref_max_abs, 3, s1);
    fms_numfmt_key(r->ref_mean_abs, 3, s2);
    fms_strbuf_printf(b, "\nagainst the reference solution (GSL rk8pd, tolerance 1e-10):\n"
                         "  at t = 1:   max |error| %s, mean |error| %s\n", s1, s2);
    fms_numfmt_key(r->ref_mid_max_abs, 3, s1);
    fms_numfmt_key(r->ref_mid_mean_abs, 3, s2);
    key6(s3, r->ref_mid_t);
    fms_strbuf_printf(b, "  at t = %s: max |error| %s, mean |error| %s\n", s3, s1, s2);
}

fms_status fms_dynreport_sample_text(const fms_data *d, const fms_sample_opts *o, const fms_sample_result *r,
                                     fms_strbuf *out, fms_error *err)
{
    const double np = (double)o->particles;
    char s1[FMS_NUM_MAX], s2[FMS_NUM_MAX], s3[FMS_NUM_MAX];
    fms_strbuf_printf(out,
                      "Euler sampling, %s parameterisation: %lld particles, %lld steps of dt = 1/%lld, seed %llu\n\n",
                      fms_sampler_param_name(o->param), o->particles, o->steps, o->steps,
                      (unsigned long long)o->seed);
    fms_strbuf_printf(out, "%-10s %12s %10s %10s %12s\n", "label", "particles", "share", "prob", "binom. sd");
    for (size_t k = 0; k < d->n; k++) {
        key6(s1, (double)r->count[k] / np);
        key6(s2, d->prob[k]);
        fms_numfmt_key(sqrt(d->prob[k] * (1.0 - d->prob[k]) / np), 2, s3);
        fms_strbuf_printf(out, "%-10s %12zu %10s %10s %12s\n", d->labels[k], r->count[k], s1, s2, s3);
    }
    key6(s1, r->mean);
    key6(s2, r->std);
    key6(s3, fms_data_mean(d));
    fms_strbuf_printf(out, "\nend points: mean %s (data mean %s), standard deviation %s\n", s1, s3, s2);
    sample_histogram(r, out);
    if (r->have_reference)
        sample_reference(r, out);
    return text_done(out, err);
}

fms_status fms_dynreport_sample_json(const fms_data *d, const fms_sample_opts *o, const fms_sample_result *r,
                                     json_t **out, fms_error *err)
{
    const double np = (double)o->particles;
    json_t *root = json_object(), *labels = json_array();
    json_object_set_new(root, "particles", json_integer(o->particles));
    json_object_set_new(root, "steps", json_integer(o->steps));
    json_object_set_new(root, "param", json_string(fms_sampler_param_name(o->param)));
    json_object_set_new(root, "seed", json_integer((json_int_t)o->seed));
    for (size_t k = 0; k < d->n; k++) {
        json_t *l = json_object();
        json_object_set_new(l, "label", json_string(d->labels[k]));
        json_object_set_new(l, "share", json_real((double)r->count[k] / np));
        json_object_set_new(l, "prob", json_real(d->prob[k]));
        json_array_append_new(labels, l);
    }
    json_object_set_new(root, "labels", labels);
    json_object_set_new(root, "mean", fms_json_num(r->mean));
    json_object_set_new(root, "std", fms_json_num(r->std));
    if (r->have_reference) {
        json_t *ref = json_object();
        json_object_set_new(ref, "max_abs_error", fms_json_num(r->ref_max_abs));
        json_object_set_new(ref, "mean_abs_error", fms_json_num(r->ref_mean_abs));
        json_object_set_new(ref, "mid_t", fms_json_num(r->ref_mid_t));
        json_object_set_new(ref, "mid_max_abs_error", fms_json_num(r->ref_mid_max_abs));
        json_object_set_new(ref, "mid_mean_abs_error", fms_json_num(r->ref_mid_mean_abs));
        json_object_set_new(root, "reference", ref);
    }
    return json_done(root, out, err);
}
