/* test_dynreport.c — the reports of simulate, train and sample (dynreport.h).
 *
 * Results are built by hand, so that each case pins one rule of the report:
 * NaN as "nan" in text and null in JSON, a share below the double range
 * printed from its logarithm, the histogram's bars, n/a for a point outside
 * the trained model's range.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fmsolve.h"
#include "testutil.h"

static fms_data *two_points(void)
{
    static const char *const labels[] = { "P", "Q" };
    static const double x[] = { 1.25, -0.75 }, w[] = { 0.3, 0.7 };
    fms_data *d = NULL;
    ck_assert_int_eq(fms_data_create(&d, 2, labels, x, w, NULL), FMS_OK);
    return d;
}

/* A simulate result for two labels with every array filled with fill. */
typedef struct sim_case {
    fms_simulate_result r;
    unsigned long long count[2];
    double share[2], ci_lo[2], ci_hi[2], point[2], point_log[2], window[2];
} sim_case;

static void sim_init(sim_case *c, unsigned long long hits, double fill)
{
    memset(c, 0, sizeof *c);
    c->r = (fms_simulate_result){ .t_lo = 0.7, .t_hi = 0.75, .x_lo = -0.2, .x_hi = 0.1, .hits = hits, .n = 2,
                                  .count = c->count, .share = c->share, .ci_lo = c->ci_lo, .ci_hi = c->ci_hi,
                                  .exact_point = c->point, .exact_point_log = c->point_log,
                                  .exact_window = c->window, .mean_target = fill, .mean_ci_lo = fill,
                                  .mean_ci_hi = fill, .exact_velocity_point = -0.375,
                                  .exact_velocity_window = -0.25 };
    for (int k = 0; k < 2; k++) {
        c->share[k] = c->ci_lo[k] = c->ci_hi[k] = fill;
        c->point[k] = c->window[k] = 0.5;
        c->point_log[k] = log(0.5);
    }
}

static const fms_exercise *point_exercise(void)
{
    static fms_exercise ex;
    memset(&ex, 0, sizeof ex);
    strcpy(ex.id, "7.2");
    ex.kind = FMS_EX_POINT;
    ex.t = 0.725;
    ex.x_t = -0.05;
    return &ex;
}

static char *json_text(json_t *v)
{
    char *s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(v);
    ck_assert_ptr_nonnull(s);
    return s;
}

START_TEST(simulate_without_hits_prints_nan_and_null)
{
    fms_data *d = two_points();
    sim_case c;
    sim_init(&c, 0, NAN);
    fms_simulate_opts o = { 12345, 42, 0.025, NULL, NULL };
    fms_error err;
    fms_error_clear(&err);
    fms_strbuf b = { 0 };
    ck_assert_int_eq(fms_dynreport_simulate_text(d, point_exercise(), &o, &c.r, &b, &err), FMS_OK);
    const char *s = fms_strbuf_str(&b);
    ck_assert_ptr_nonnull(strstr(s, "Exercise 7.2: t = 0.725, x_t = -0.05\n"));
    ck_assert_ptr_nonnull(strstr(s, "Ran L1-L5 12345 times (seed 42)"));
    ck_assert_ptr_nonnull(strstr(s, "No sample fell in the window"));
    ck_assert_ptr_null(strstr(s, "was never seen"));
    ck_assert_ptr_nonnull(strstr(s, "mean target u  nan, 95% interval [nan, nan]\n"));
    fms_strbuf_free(&b);

    json_t *j = NULL;
    ck_assert_int_eq(fms_dynreport_simulate_json(d, point_exercise(), &o, &c.r, &j, &err), FMS_OK);
    char *t = json_text(j);
    ck_assert_ptr_nonnull(strstr(t, "\"share\":null,\"ci95\":[null,null]"));
    ck_assert_ptr_nonnull(strstr(t, "\"mean_target\":null,\"mean_target_ci95\":[null,null]"));
    ck_assert_ptr_nonnull(strstr(t, "\"exact_velocity_point\":-0.375"));
    free(t);
    fms_data_free(d);
}
END_TEST

START_TEST(simulate_unseen_label_gets_bound_and_log_share)
{
    fms_data *d = two_points();
    sim_case c;
    sim_init(&c, 40, 0.5);
    c.count[0] = 40;
    c.ci_hi[1] = 0.0876;
    /* Q's share at the point is 3.7·10^-400: 0 in a double, known by its logarithm. */
    c.point[1] = 0.0;
    c.point_log[1] = log(3.7) - 400.0 * log(10.0);
    fms_simulate_opts o = { 1000, 3, 0.025, NULL, NULL };
    fms_error err;
    fms_error_clear(&err);
    fms_strbuf b = { 0 };
    ck_assert_int_eq(fms_dynreport_simulate_text(d, point_exercise(), &o, &c.r, &b, &err), FMS_OK);
    const char *s = fms_strbuf_str(&b);
    ck_assert_msg(strstr(s, "Q was never seen among the kept samples: this run supports w_Q <= 0.0876 (95%);\n"
                            "  the exact share at the point is 3.7e-400.\n") != NULL, "%s", s);
    ck_assert_ptr_null(strstr(s, "P was never seen"));
    fms_strbuf_free(&b);
    fms_data_free(d);
}
END_TEST

START_TEST(sample_histogram_bars_scale_to_the_fullest_bin)
{
    fms_data *d = two_points();
    size_t count[2] = { 3, 7 }, hist[4] = { 0, 1, 200, 100 };
    fms_sample_result r = { .n = 2, .count = count, .mean = 0.1, .std = 0.9, .data_std = 0.9, .intervals = 5,
                            .evaluations = 5, .nbins = 4, .hist_lo = -2.0, .hist_hi = 2.0, .hist = hist,
                            .below = 2, .above = 0 };
    fms_sample_opts o;
    fms_sampler_opts_init(&o);
    o.particles = 10;
    o.spec = (fms_sampler_spec){ FMS_SAMPLER_EULER, FMS_SAMPLER_EPSILON, 5, FMS_SAMPLER_DEFAULT_TOL, 1.0 };
    o.seed = 9;
    fms_error err;
    fms_error_clear(&err);
    fms_strbuf b = { 0 };
    ck_assert_int_eq(fms_dynreport_sample_text(d, &o, &r, &b, &err), FMS_OK);
    const char *s = fms_strbuf_str(&b);
    ck_assert_msg(strstr(s, "Sampling with euler (order 1), epsilon parameterisation:\n"
                            "10 particles, 5 model evaluations, seed 9\n5 steps of dt = 1/5\n") != NULL, "%s", s);
    ck_assert_ptr_null(strstr(s, "cannot resolve"));
    /* share 3/10 beside prob 0.3, binomial sd sqrt(0.3·0.7/10) to 2 digits */
    ck_assert_msg(strstr(s, "P                     3        0.3        0.3         0.14\n") != NULL, "%s", s);
    ck_assert_ptr_nonnull(strstr(s, "  below -2                 2\n"));
    ck_assert_ptr_null(strstr(s, "above"));
    ck_assert_ptr_nonnull(strstr(s, "[-2.0000, -1.0000)          0 \n"));
    ck_assert_ptr_nonnull(strstr(s, "[-1.0000,  0.0000)          1 #\n"));
    char full[128];
    snprintf(full, sizeof full, "[ 0.0000,  1.0000)        200 %.50s\n",
             "##################################################");
    ck_assert_ptr_nonnull(strstr(s, full));
    ck_assert_ptr_nonnull(strstr(s, "[ 1.0000,  2.0000)        100 " "#########################\n"));
    ck_assert_ptr_null(strstr(s, "reference"));
    fms_strbuf_free(&b);

    r.have_reference = 1;
    r.ref_max_abs = NAN;
    json_t *j = NULL;
    ck_assert_int_eq(fms_dynreport_sample_json(d, &o, &r, &j, &err), FMS_OK);
    char *t = json_text(j);
    ck_assert_ptr_nonnull(strstr(t, "\"param\":\"epsilon\""));
    ck_assert_ptr_nonnull(strstr(t, "\"method\":\"euler\",\"order\":1,\"steps\":5,\"evaluations\":5"));
    ck_assert_ptr_nonnull(strstr(t, "\"resolved\":true"));
    ck_assert_ptr_nonnull(strstr(t, "\"reference\":{\"max_abs_error\":null,"));
    free(t);
    ck_assert_int_eq(fms_dynreport_sample_json(d, &o, &r, &j, &err), FMS_OK);
    json_t *q = json_array_get(json_object_get(j, "labels"), 1);
    ck_assert_str_eq(json_string_value(json_object_get(q, "label")), "Q");
    ck_assert_close(json_real_value(json_object_get(q, "share")), 7.0 / 10.0, 0, 0);
    ck_assert_close(json_real_value(json_object_get(q, "prob")), 0.7, 0, 0);
    json_decref(j);

    /* End points that merged into one: the report says so. */
    r.std = 0.0;
    ck_assert_int_eq(fms_dynreport_sample_text(d, &o, &r, &b, &err), FMS_OK);
    ck_assert_ptr_nonnull(strstr(fms_strbuf_str(&b), "cannot resolve the data at this cost"));
    fms_strbuf_free(&b);
    ck_assert_int_eq(fms_dynreport_sample_json(d, &o, &r, &j, &err), FMS_OK);
    ck_assert(json_is_false(json_object_get(j, "resolved")));
    json_decref(j);
    fms_data_free(d);
}
END_TEST

START_TEST(train_marks_points_outside_the_model)
{
    /* Point 2 lies far outside [min x_k - 4, max x_k + 4], where u_θ is not defined. */
    static const char ini[] = "[data]\nP = 1.25, 0.3\nQ = -0.75, 0.7\n\n"
                              "[1]\nt = 0.4\nx_t = 0.2\nparts = limit\n\n"
                              "[2]\nt = 0.4\nx_t = 60\nparts = limit\n";
    fms_exset *set = NULL;
    fms_error err;
    fms_error_clear(&err);
    ck_assert_msg(fms_exset_load_string("test.ini", ini, strlen(ini), &set, &err) == FMS_OK, "%s", err.msg);
    fms_train_opts o = { 3000, 5, 4, 3, NULL, NULL };
    fms_train_model *m = NULL;
    ck_assert_msg(fms_train_fit(set->data, &o, &m, &err) == FMS_OK, "%s", err.msg);

    fms_strbuf b = { 0 };
    ck_assert_int_eq(fms_dynreport_train_text(set, &o, m, &b, &err), FMS_OK);
    const char *s = fms_strbuf_str(&b);
    ck_assert_ptr_nonnull(strstr(s, "Trained u_theta on 3000 samples of L1-L5 (seed 5;"));
    const char *row2 = strstr(s, "\n2 ");
    ck_assert_msg(row2 != NULL, "%s", s);
    ck_assert_ptr_nonnull(strstr(row2, "n/a"));
    const char *row1 = strstr(s, "\n1 ");
    ck_assert_ptr_nonnull(row1);
    ck_assert(strstr(row1, "n/a") == NULL || strstr(row1, "n/a") > row2);
    fms_strbuf_free(&b);

    json_t *j = NULL;
    ck_assert_int_eq(fms_dynreport_train_json(set, &o, m, &j, &err), FMS_OK);
    json_t *pts = json_object_get(j, "points");
    ck_assert_uint_eq(json_array_size(pts), 2);
    ck_assert(json_is_real(json_object_get(json_array_get(pts, 0), "learned")));
    ck_assert(json_is_null(json_object_get(json_array_get(pts, 1), "learned")));
    /* The exact v at point 2 is that of the engine. */
    fms_posterior post;
    ck_assert_int_eq(fms_exset_eval(set->data, &set->ex[1], NULL, &post, &err), FMS_OK);
    ck_assert_close(json_real_value(json_object_get(json_array_get(pts, 1), "exact")), post.velocity, 0, 0);
    json_decref(j);
    fms_train_free(m);
    fms_exset_free(set);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("dynreport");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, simulate_without_hits_prints_nan_and_null);
    tcase_add_test(tc, simulate_unseen_label_gets_bound_and_log_share);
    tcase_add_test(tc, sample_histogram_bars_scale_to_the_fullest_bin);
    tcase_add_test(tc, train_marks_points_outside_the_model);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}
