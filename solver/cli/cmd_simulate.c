/* cmd_simulate.c — `fmsolve simulate ID`: the training loop, watched near one point. */
#include "cli/cli.h"

static const char simulate_usage[] =
    "Usage: fmsolve simulate ID [--samples N] [--seed S] [--window H] [--json] [--quiet]\n"
    "                           [--exercises FILE]\n"
    "Runs L1-L5 of the sheet N times (default 10000000) and keeps the samples whose\n"
    "(x_t, t) lies within H (default 0.02) of point exercise ID in both coordinates.\n"
    "Reports each label's share of the kept samples with a 95% Wilson interval, the\n"
    "mean target with its 95% interval, and the exact values at the point and as\n"
    "averaged over the window (what the estimates converge to).\n";

static int parse(int argc, char **argv, fms_simulate_opts *o, cli_run *r)
{
    const cli_opt opts[] = {
        { .name = "samples", .kind = CLI_OPT_COUNT, .target = &o->samples, .lo = 1,
          .hi = FMS_SIMULATE_MAX_SAMPLES },
        CLI_SEED_OPT(&o->seed),
        { .name = "window", .kind = CLI_OPT_REAL, .target = &o->window, .min = 0.0, .max = 1.0,
          .text = "is out of range (expected a half-width in (0, 1])" },
        CLI_RUN_OPTS(r, simulate_usage),
    };
    int rc = cli_options_parse("simulate", opts, CLI_NOPTS(opts), 1, argc, argv);
    if (rc != CLI_GO_ON)
        return rc;
    if (optind >= argc)
        return cli_fail("simulate: which exercise? give a point exercise id such as 1.3");
    return CLI_GO_ON;
}

/* The point exercise id of set into *ex. */
static fms_status find_point(const fms_exset *set, const char *id, const fms_exercise **ex, fms_error *err)
{
    long ei = fms_exset_find(set, id);
    if (ei < 0)
        return fms_error_set(err, FMS_ENOTFOUND, 0, "simulate: no exercise '%s' in %s", id, set->source);
    if (set->ex[ei].kind != FMS_EX_POINT)
        return fms_error_set(err, FMS_EINVAL, 0, "simulate: exercise %s is not a point exercise (it has no (x_t, t))",
                             id);
    *ex = &set->ex[ei];
    return FMS_OK;
}

int cmd_simulate(int argc, char **argv)
{
    fms_simulate_opts o = { 10000000, 1, 0.02, NULL, NULL };
    cli_run run = { 0 };
    int rc = parse(argc, argv, &o, &run);
    if (rc == CLI_GO_ON)
        rc = cli_run_begin(&run, "simulate", &o.progress, &o.progress_ctx);
    if (rc != CLI_GO_ON)
        return rc;
    const fms_exercise *ex = NULL;
    fms_simulate_result *r = NULL;
    fms_status st = find_point(run.set, argv[optind], &ex, &run.err);
    if (st == FMS_OK)
        st = fms_simulate_run(run.set->data, ex->t, ex->x_t, &o, &r, &run.err);
    if (st == FMS_OK)
        st = run.json ? fms_dynreport_simulate_json(run.set->data, ex, &o, r, &run.result, &run.err)
                      : fms_dynreport_simulate_text(run.set->data, ex, &o, r, &run.text, &run.err);
    fms_simulate_result_free(r);
    return cli_run_end(&run, st);
}
