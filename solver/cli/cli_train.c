/* cli_train.c — `fmsolve train`: fit u_θ by L6 and set it beside the exact v. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static const char train_usage[] =
    "Usage: fmsolve train [--steps N] [--seed S] [--json] [--quiet] [--exercises FILE]\n"
    "Draws N samples (default 2000000) of L1-L5 from the set's data, fits u_theta by\n"
    "L6 (least squares over tensor-product cubic B-splines in (x_t, t)) and prints\n"
    "the held-out loss curve and u_theta at every point exercise beside the exact v.\n";

int cli_train(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "steps", required_argument, NULL, 'n' },
        { "seed", required_argument, NULL, 's' },
        { "json", no_argument, NULL, 'j' },
        { "quiet", no_argument, NULL, 'q' },
        { "exercises", required_argument, NULL, 'e' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    fms_train_opts o = { 2000000, 1, 0, 0, NULL, NULL };
    const char *exercises = NULL;
    int json = 0, quiet = 0;
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, ":e:hq", longopts, NULL)) != -1) {
        switch (c) {
        case 'n':
            if (!cli_count("--steps", optarg, 1, FMS_TRAIN_MAX_STEPS, &o.steps))
                return FMS_EXIT_USAGE;
            break;
        case 's':
            if (!cli_seed(optarg, &o.seed))
                return FMS_EXIT_USAGE;
            break;
        case 'j': json = 1; break;
        case 'q': quiet = 1; break;
        case 'e': exercises = optarg; break;
        case 'h': fputs(train_usage, stdout); return FMS_EXIT_OK;
        default: return cli_bad_option("train", c, argv);
        }
    }
    if (optind < argc)
        return cli_fail("train: unexpected argument '%s'", argv[optind]);
    fms_exset *set = NULL;
    if (!cli_load_set(exercises, &set))
        return FMS_EXIT_USAGE;
    cli_progress bar;
    cli_progress_init(&bar, "train", quiet);
    o.progress = cli_progress_update;
    o.progress_ctx = &bar;
    fms_error err;
    fms_error_clear(&err);
    fms_train_model *m = NULL;
    fms_status st = fms_train_fit(set->data, &o, &m, &err);
    cli_progress_end(&bar);
    int rc = FMS_EXIT_OK;
    double *learned = calloc(set->n + 1, sizeof *learned), *exact = calloc(set->n + 1, sizeof *exact);
    if (st == FMS_OK && (!learned || !exact))
        st = fms_error_set(&err, FMS_ENOMEM, 0, "out of memory");
    for (size_t i = 0; st == FMS_OK && i < set->n; i++) {
        const fms_exercise *ex = &set->ex[i];
        if (ex->kind != FMS_EX_POINT)
            continue;
        fms_posterior post;
        st = fms_exset_eval(set->data, ex, NULL, &post, &err);
        if (st == FMS_OK)
            exact[i] = post.velocity;
        /* A point outside the model's range gets no learned value (null / n/a). */
        fms_error e2;
        fms_error_clear(&e2);
        if (st == FMS_OK && fms_train_eval(m, ex->t, ex->x_t, &learned[i], &e2) != FMS_OK)
            learned[i] = NAN;
    }
    if (st != FMS_OK) {
        rc = cli_fail_error(&err);
    } else if (json) {
        json_t *root = json_object(), *loss = json_array(), *pts = json_array();
        json_object_set_new(root, "steps", json_integer(o.steps));
        json_object_set_new(root, "seed", json_integer((json_int_t)o.seed));
        json_object_set_new(root, "model", json_string(m->description));
        for (size_t i = 0; i < m->nloss; i++) {
            json_t *pair = json_array();
            json_array_append_new(pair, json_integer(m->loss_step[i]));
            json_array_append_new(pair, cli_json_num(m->loss[i]));
            json_array_append_new(loss, pair);
        }
        json_object_set_new(root, "loss", loss);
        for (size_t i = 0; i < set->n; i++) {
            const fms_exercise *ex = &set->ex[i];
            if (ex->kind != FMS_EX_POINT)
                continue;
            json_t *p = json_object();
            json_object_set_new(p, "exercise", json_string(ex->id));
            json_object_set_new(p, "t", json_real(ex->t));
            json_object_set_new(p, "x_t", json_real(ex->x_t));
            json_object_set_new(p, "learned", cli_json_num(learned[i]));
            json_object_set_new(p, "exact", cli_json_num(exact[i]));
            json_array_append_new(pts, p);
        }
        json_object_set_new(root, "points", pts);
        rc = cli_emit_json(root);
    } else {
        fms_strbuf b = { 0 };
        char s1[FMS_NUM_MAX], s2[FMS_NUM_MAX], s3[FMS_NUM_MAX];
        fms_strbuf_printf(&b, "Trained u_theta on %lld samples of L1-L5 (seed %llu; %lld outside the model's range).\n",
                          o.steps, (unsigned long long)o.seed, m->dropped);
        fms_strbuf_printf(&b, "Model: %s.\n\n", m->description);
        fms_strbuf_puts(&b, "held-out loss (mean squared error against the sampled targets u)\n");
        fms_strbuf_printf(&b, "%12s  %s\n", "samples", "loss");
        for (size_t i = 0; i < m->nloss; i++) {
            fms_numfmt_key(m->loss[i], 6, s1);
            fms_strbuf_printf(&b, "%12lld  %s\n", m->loss_step[i], s1);
        }
        fms_strbuf_printf(&b, "\n%-10s %8s %8s %12s %12s %12s\n", "exercise", "t", "x_t", "learned", "exact",
                          "difference");
        for (size_t i = 0; i < set->n; i++) {
            const fms_exercise *ex = &set->ex[i];
            if (ex->kind != FMS_EX_POINT)
                continue;
            fms_numfmt_key(learned[i], 6, s1);
            fms_numfmt_key(exact[i], 6, s2);
            fms_numfmt_key(learned[i] - exact[i], 3, s3);
            fms_strbuf_printf(&b, "%-10s %8.6g %8.6g %12s %12s %12s\n", ex->id, ex->t, ex->x_t,
                              isfinite(learned[i]) ? s1 : "n/a", s2, isfinite(learned[i]) ? s3 : "n/a");
        }
        rc = cli_emit(&b);
        fms_strbuf_free(&b);
    }
    free(learned);
    free(exact);
    fms_train_free(m);
    fms_exset_free(set);
    return rc;
}
