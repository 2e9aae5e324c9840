/* cmd_train.c — `fmsolve train`: fit u_θ by L6 and set it beside the exact v. */
#include "cli/cli.h"

static const char train_usage[] =
    "Usage: fmsolve train [--steps N] [--seed S] [--json] [--quiet] [--exercises FILE]\n"
    "Draws N samples (default 2000000) of L1-L5 from the set's data, fits u_theta by\n"
    "L6 (least squares over tensor-product cubic B-splines in (x_t, t)) and prints\n"
    "the held-out loss curve and u_theta at every point exercise beside the exact v.\n";

int cmd_train(int argc, char **argv)
{
    fms_train_opts o = { 2000000, 1, 0, 0, NULL, NULL };
    cli_run run = { 0 };
    const cli_opt opts[] = {
        { .name = "steps", .kind = CLI_OPT_COUNT, .target = &o.steps, .lo = 1, .hi = FMS_TRAIN_MAX_STEPS },
        CLI_SEED_OPT(&o.seed),
        CLI_RUN_OPTS(&run, train_usage),
    };
    int rc = cli_run_start(&run, "train", opts, CLI_NOPTS(opts), argc, argv, &o.progress, &o.progress_ctx);
    if (rc != CLI_GO_ON)
        return rc;
    fms_train_model *m = NULL;
    fms_cost cost; /* the report evaluates every point exercise */
    fms_budget_estimate(run.set, FMS_PRODUCT_POINTS, NULL, NULL, 0, 0.0, &cost);
    fms_status st = fms_budget_check(&cost, &run.err);
    if (st != FMS_OK)
        fms_error_set_file(&run.err, run.set->source);
    else
        st = fms_train_fit(run.set->data, &o, &m, &run.err);
    if (st == FMS_OK)
        st = run.json ? fms_dynreport_train_json(run.set, &o, m, &run.result, &run.err)
                      : fms_dynreport_train_text(run.set, &o, m, &run.text, &run.err);
    fms_train_free(m);
    return cli_run_end(&run, st);
}
