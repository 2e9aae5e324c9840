/* cli_simulate.c — `fmsolve simulate ID`: the training loop, watched near one point. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static const char simulate_usage[] =
    "Usage: fmsolve simulate ID [--samples N] [--seed S] [--window H] [--json] [--quiet]\n"
    "                           [--exercises FILE]\n"
    "Runs L1-L5 of the sheet N times (default 10000000) and keeps the samples whose\n"
    "(x_t, t) lies within H (default 0.02) of point exercise ID in both coordinates.\n"
    "Reports each label's share of the kept samples with a 95% Wilson interval, the\n"
    "mean target with its 95% interval, and the exact values at the point and as\n"
    "averaged over the window (what the estimates converge to).\n";

static void key_num(char out[FMS_NUM_MAX], double x)
{
    fms_numfmt_key(x, 6, out);
}

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

static int print_text(const fms_exset *set, const fms_exercise *ex, const fms_simulate_opts *o,
                      const fms_simulate_result *r)
{
    fms_strbuf b = { 0 };
    char s1[FMS_NUM_MAX], s2[FMS_NUM_MAX], s3[FMS_NUM_MAX], s4[FMS_NUM_MAX], s5[FMS_NUM_MAX], s6[2 * FMS_NUM_MAX + 8];
    fms_strbuf_printf(&b, "Exercise %s: t = %.15g, x_t = %.15g\n", ex->id, ex->t, ex->x_t);
    fms_strbuf_printf(&b, "Ran L1-L5 %lld times (seed %llu); kept the samples with t in [%.6g, %.6g] and\n",
                      o->samples, (unsigned long long)o->seed, r->t_lo, r->t_hi);
    fms_strbuf_printf(&b, "x_t in [%.6g, %.6g]: %llu kept.\n\n", r->x_lo, r->x_hi, r->hits);
    fms_strbuf_printf(&b, "%-10s %12s %10s %-25s %-16s %s\n", "label", "kept", "share", "95% interval",
                      "exact (point)", "exact (window)");
    for (size_t k = 0; k < r->n; k++) {
        key_num(s1, r->share[k]);
        key_num(s2, r->ci_lo[k]);
        key_num(s3, r->ci_hi[k]);
        share_text(s4, r->exact_point[k], r->exact_point_log[k]);
        key_num(s5, r->exact_window[k]);
        snprintf(s6, sizeof s6, "[%s, %s]", s2, s3);
        fms_strbuf_printf(&b, "%-10s %12llu %10s %-25s %-16s %s\n", set->data->labels[k], r->count[k], s1, s6, s4,
                          s5);
    }
    for (size_t k = 0; k < r->n && r->hits > 0; k++) {
        if (r->count[k] != 0)
            continue;
        key_num(s3, r->ci_hi[k]);
        share_text(s4, r->exact_point[k], r->exact_point_log[k]);
        fms_strbuf_printf(&b, "%s was never seen among the kept samples: this run supports w_%s <= %s (95%%);\n"
                              "  the exact share at the point is %s.\n",
                          set->data->labels[k], set->data->labels[k], s3, s4);
    }
    if (r->hits == 0)
        fms_strbuf_puts(&b, "No sample fell in the window: raise --samples or widen --window.\n");
    fms_strbuf_puts(&b, "\n");
    key_num(s1, r->mean_target);
    key_num(s2, r->mean_ci_lo);
    key_num(s3, r->mean_ci_hi);
    key_num(s4, r->exact_velocity_point);
    key_num(s5, r->exact_velocity_window);
    fms_strbuf_printf(&b, "mean target u  %s, 95%% interval [%s, %s]\n", s1, s2, s3);
    fms_strbuf_printf(&b, "exact v        %s at the point, %s averaged over the window\n", s4, s5);
    int rc = cli_emit(&b);
    fms_strbuf_free(&b);
    return rc;
}

static int print_json(const fms_exset *set, const fms_exercise *ex, const fms_simulate_opts *o,
                      const fms_simulate_result *r)
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
        json_t *l = json_object(), *ci = json_array();
        json_object_set_new(l, "label", json_string(set->data->labels[k]));
        json_object_set_new(l, "count", json_integer((json_int_t)r->count[k]));
        json_object_set_new(l, "share", cli_json_num(r->share[k]));
        json_array_append_new(ci, cli_json_num(r->ci_lo[k]));
        json_array_append_new(ci, cli_json_num(r->ci_hi[k]));
        json_object_set_new(l, "ci95", ci);
        json_object_set_new(l, "exact_point", cli_json_num(r->exact_point[k]));
        json_object_set_new(l, "exact_window", cli_json_num(r->exact_window[k]));
        json_array_append_new(labels, l);
    }
    json_object_set_new(root, "labels", labels);
    json_object_set_new(root, "mean_target", cli_json_num(r->mean_target));
    json_t *mci = json_array();
    json_array_append_new(mci, cli_json_num(r->mean_ci_lo));
    json_array_append_new(mci, cli_json_num(r->mean_ci_hi));
    json_object_set_new(root, "mean_target_ci95", mci);
    json_object_set_new(root, "exact_velocity_point", cli_json_num(r->exact_velocity_point));
    json_object_set_new(root, "exact_velocity_window", cli_json_num(r->exact_velocity_window));
    return cli_emit_json(root);
}

int cli_simulate(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "samples", required_argument, NULL, 'n' },
        { "seed", required_argument, NULL, 's' },
        { "window", required_argument, NULL, 'w' },
        { "json", no_argument, NULL, 'j' },
        { "quiet", no_argument, NULL, 'q' },
        { "exercises", required_argument, NULL, 'e' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    fms_simulate_opts o = { 10000000, 1, 0.02, NULL, NULL };
    const char *exercises = NULL;
    int json = 0, quiet = 0;
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, ":e:hq", longopts, NULL)) != -1) {
        switch (c) {
        case 'n':
            if (!cli_count("--samples", optarg, 1, FMS_SIMULATE_MAX_SAMPLES, &o.samples))
                return FMS_EXIT_USAGE;
            break;
        case 's':
            if (!cli_seed(optarg, &o.seed))
                return FMS_EXIT_USAGE;
            break;
        case 'w':
            if (!cli_number("--window", optarg, &o.window))
                return FMS_EXIT_USAGE;
            if (!(o.window > 0.0 && o.window <= 1.0))
                return cli_fail("--window: %s is out of range (expected a half-width in (0, 1])", optarg);
            break;
        case 'j': json = 1; break;
        case 'q': quiet = 1; break;
        case 'e': exercises = optarg; break;
        case 'h': fputs(simulate_usage, stdout); return FMS_EXIT_OK;
        default: return cli_bad_option("simulate", c, argv);
        }
    }
    if (optind >= argc)
        return cli_fail("simulate: which exercise? give a point exercise id such as 1.3");
    if (optind + 1 < argc)
        return cli_fail("simulate: unexpected argument '%s'", argv[optind + 1]);
    const char *id = argv[optind];
    fms_exset *set = NULL;
    if (!cli_load_set(exercises, &set))
        return FMS_EXIT_USAGE;
    int rc;
    long ei = fms_exset_find(set, id);
    if (ei < 0) {
        rc = cli_fail("simulate: no exercise '%s' in %s", id, set->source);
        fms_exset_free(set);
        return rc;
    }
    const fms_exercise *ex = &set->ex[ei];
    if (ex->kind != FMS_EX_POINT) {
        rc = cli_fail("simulate: exercise %s is not a point exercise (it has no (x_t, t))", id);
        fms_exset_free(set);
        return rc;
    }
    cli_progress bar;
    cli_progress_init(&bar, "simulate", quiet);
    o.progress = cli_progress_update;
    o.progress_ctx = &bar;
    fms_error err;
    fms_error_clear(&err);
    fms_simulate_result *r = NULL;
    fms_status st = fms_simulate_run(set->data, ex->t, ex->x_t, &o, &r, &err);
    cli_progress_end(&bar);
    if (st != FMS_OK)
        rc = cli_fail_error(&err);
    else
        rc = json ? print_json(set, ex, &o, r) : print_text(set, ex, &o, r);
    fms_simulate_result_free(r);
    fms_exset_free(set);
    return rc;
}
