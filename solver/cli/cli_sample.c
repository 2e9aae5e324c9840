/* cli_sample.c — `fmsolve sample`: Euler sampling of the exact flow. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static const char sample_usage[] =
    "Usage: fmsolve sample [--particles N] [--steps K] [--param velocity|epsilon]\n"
    "                      [--seed S] [--reference] [--json] [--quiet] [--exercises FILE]\n"
    "Starts N particles (default 100000) at eps ~ N(0, 1), t = 0, and takes K Euler\n"
    "steps (default 100) to t = 1 with the exact model: u_theta = v (velocity) or\n"
    "eps_theta = eps-hat with the update of 2.2 (epsilon; at t = 0 the 0/0 is\n"
    "replaced by its limit, estimated at t = 2^-20).  Reports where the particles\n"
    "end; --reference also solves the ODE accurately (GSL rk8pd) and reports the\n"
    "Euler end-point error.\n";

int cli_sample(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "particles", required_argument, NULL, 'n' },
        { "steps", required_argument, NULL, 'k' },
        { "param", required_argument, NULL, 'p' },
        { "seed", required_argument, NULL, 's' },
        { "reference", no_argument, NULL, 'r' },
        { "json", no_argument, NULL, 'j' },
        { "quiet", no_argument, NULL, 'q' },
        { "exercises", required_argument, NULL, 'e' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    fms_sample_opts o;
    fms_sampler_opts_init(&o);
    o.spec.method = FMS_SAMPLER_EULER;
    const char *exercises = NULL;
    int json = 0, quiet = 0;
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, ":e:hq", longopts, NULL)) != -1) {
        switch (c) {
        case 'n':
            if (!cli_count("--particles", optarg, 1, FMS_SAMPLER_MAX_PARTICLES, &o.particles))
                return FMS_EXIT_USAGE;
            break;
        case 'k':
            if (!cli_count("--steps", optarg, 1, FMS_SAMPLER_MAX_STEPS, &o.spec.steps))
                return FMS_EXIT_USAGE;
            break;
        case 'p':
            if (fms_sampler_param_parse(optarg, &o.spec.param) != FMS_OK)
                return cli_fail("--param: '%s' is not a parameterisation (expected velocity or epsilon)", optarg);
            break;
        case 's':
            if (!cli_seed(optarg, &o.seed))
                return FMS_EXIT_USAGE;
            break;
        case 'r': o.reference = 1; break;
        case 'j': json = 1; break;
        case 'q': quiet = 1; break;
        case 'e': exercises = optarg; break;
        case 'h': fputs(sample_usage, stdout); return FMS_EXIT_OK;
        default: return cli_bad_option("sample", c, argv);
        }
    }
    if (optind < argc)
        return cli_fail("sample: unexpected argument '%s'", argv[optind]);
    fms_exset *set = NULL;
    if (!cli_load_set(exercises, &set))
        return FMS_EXIT_USAGE;
    cli_progress bar;
    cli_progress_init(&bar, "sample", quiet);
    o.progress = cli_progress_update;
    o.progress_ctx = &bar;
    fms_error err;
    fms_error_clear(&err);
    fms_sample_result *r = NULL;
    fms_status st = fms_sampler_run(set->data, &o, &r, &err);
    cli_progress_end(&bar);
    int rc;
    const fms_data *d = set->data;
    const double np = (double)o.particles;
    if (st != FMS_OK) {
        rc = cli_fail_error(&err);
    } else if (json) {
        json_t *root = json_object(), *labels = json_array();
        json_object_set_new(root, "particles", json_integer(o.particles));
        json_object_set_new(root, "steps", json_integer(o.spec.steps));
        json_object_set_new(root, "param", json_string(fms_sampler_param_name(o.spec.param)));
        json_object_set_new(root, "seed", json_integer((json_int_t)o.seed));
        for (size_t k = 0; k < d->n; k++) {
            json_t *l = json_object();
            json_object_set_new(l, "label", json_string(d->labels[k]));
            json_object_set_new(l, "share", json_real((double)r->count[k] / np));
            json_object_set_new(l, "prob", json_real(d->prob[k]));
            json_array_append_new(labels, l);
        }
        json_object_set_new(root, "labels", labels);
        json_object_set_new(root, "mean", cli_json_num(r->mean));
        json_object_set_new(root, "std", cli_json_num(r->std));
        if (r->have_reference) {
            json_t *ref = json_object();
            json_object_set_new(ref, "max_abs_error", cli_json_num(r->ref_max_abs));
            json_object_set_new(ref, "mean_abs_error", cli_json_num(r->ref_mean_abs));
            json_object_set_new(ref, "mid_t", cli_json_num(r->ref_mid_t));
            json_object_set_new(ref, "mid_max_abs_error", cli_json_num(r->ref_mid_max_abs));
            json_object_set_new(ref, "mid_mean_abs_error", cli_json_num(r->ref_mid_mean_abs));
            json_object_set_new(root, "reference", ref);
        }
        rc = cli_emit_json(root);
    } else {
        fms_strbuf b = { 0 };
        char s1[FMS_NUM_MAX], s2[FMS_NUM_MAX], s3[FMS_NUM_MAX];
        fms_strbuf_printf(&b, "Euler sampling, %s parameterisation: %lld particles, %lld steps of dt = 1/%lld, seed %llu\n\n",
                          fms_sampler_param_name(o.spec.param), o.particles, o.spec.steps, o.spec.steps,
                          (unsigned long long)o.seed);
        fms_strbuf_printf(&b, "%-10s %12s %10s %10s %12s\n", "label", "particles", "share", "prob", "binom. sd");
        for (size_t k = 0; k < d->n; k++) {
            double share = (double)r->count[k] / np;
            fms_numfmt_key(share, 6, s1);
            fms_numfmt_key(d->prob[k], 6, s2);
            fms_numfmt_key(sqrt(d->prob[k] * (1.0 - d->prob[k]) / np), 2, s3);
            fms_strbuf_printf(&b, "%-10s %12zu %10s %10s %12s\n", d->labels[k], r->count[k], s1, s2, s3);
        }
        fms_numfmt_key(r->mean, 6, s1);
        fms_numfmt_key(r->std, 6, s2);
        fms_numfmt_key(fms_data_mean(d), 6, s3);
        fms_strbuf_printf(&b, "\nend points: mean %s (data mean %s), standard deviation %s\n", s1, s3, s2);
        size_t maxc = 1;
        for (size_t i = 0; i < r->nbins; i++)
            if (r->hist[i] > maxc)
                maxc = r->hist[i];
        const double w = (r->hist_hi - r->hist_lo) / (double)r->nbins;
        fms_strbuf_puts(&b, "\nhistogram of the end points\n");
        if (r->below)
            fms_strbuf_printf(&b, "  below %-9.4g %10zu\n", r->hist_lo, r->below);
        for (size_t i = 0; i < r->nbins; i++) {
            double lo = r->hist_lo + (double)i * w;
            int bar = (int)((double)r->hist[i] * 50.0 / (double)maxc + 0.5);
            if (r->hist[i] > 0 && bar == 0)
                bar = 1;
            fms_strbuf_printf(&b, "  [%7.4f, %7.4f) %10zu ", lo + 0.0, lo + w + 0.0, r->hist[i]);
            for (int j = 0; j < bar; j++)
                fms_strbuf_putn(&b, "#", 1);
            fms_strbuf_puts(&b, "\n");
        }
        if (r->above)
            fms_strbuf_printf(&b, "  above %-9.4g %10zu\n", r->hist_hi, r->above);
        if (r->have_reference) {
            fms_numfmt_key(r->ref_max_abs, 3, s1);
            fms_numfmt_key(r->ref_mean_abs, 3, s2);
            fms_strbuf_printf(&b, "\nagainst the reference solution (GSL rk8pd, tolerance 1e-10):\n"
                                  "  at t = 1:   max |error| %s, mean |error| %s\n", s1, s2);
            fms_numfmt_key(r->ref_mid_max_abs, 3, s1);
            fms_numfmt_key(r->ref_mid_mean_abs, 3, s2);
            fms_numfmt_key(r->ref_mid_t, 6, s3);
            fms_strbuf_printf(&b, "  at t = %s: max |error| %s, mean |error| %s\n", s3, s1, s2);
        }
        rc = cli_emit(&b);
        fms_strbuf_free(&b);
    }
    fms_sampler_result_free(r);
    fms_exset_free(set);
    return rc;
}
