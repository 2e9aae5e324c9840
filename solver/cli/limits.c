/* limits.c — every limit of the command in one table (`fmsolve --limits`,
 * which tests compare with docs/limits.md), and the plot's budget. */
#include "cli/cli.h"

/* A limit: its name in docs/limits.md and its value in the code. */
static const struct limit {
    const char *name;
    double value;
} limits[] = {
    { "exercise-file-bytes", FMS_EXSET_MAX_BYTES },
    { "exercise-line-bytes", FMS_EXSET_MAX_LINE },
    { "data-points", FMS_DATA_MAX_POINTS },
    { "exercises", FMS_EXSET_MAX_EXERCISES },
    { "parts", FMS_MAX_PARTS },
    { "label-bytes", FMS_LABEL_MAX - 1 },
    { "id-bytes", FMS_ID_MAX - 1 },
    { "sheet-bytes", FMS_SHEET_MAX_BYTES },
    { "sheet-line-bytes", FMS_SHEET_MAX_LINE },
    { "answer-bytes", FMS_EXPR_MAX_LEN },
    { "key-items", FMS_BUDGET_ITEMS },
    { "engine-terms", FMS_BUDGET_TERMS },
    { "output-bytes", FMS_BUDGET_OUTPUT_BYTES },
    { "memory-bytes", FMS_BUDGET_MEMORY_BYTES },
    { "plot-terms", FMS_BUDGET_PLOT_TERMS },
    { "plot-side-min", FMS_PLOT_MIN_SIDE },
    { "plot-side-max", FMS_PLOT_MAX_SIDE },
    { "plot-trajectories", FMS_PLOT_MAX_TRAJECTORIES },
    { "plot-steps", FMS_PLOT_MAX_STEPS },
    { "sample-particles", (double)FMS_SAMPLER_MAX_PARTICLES },
    { "sample-steps", (double)FMS_SAMPLER_MAX_STEPS },
    { "simulate-samples", (double)FMS_SIMULATE_MAX_SAMPLES },
    { "train-steps", (double)FMS_TRAIN_MAX_STEPS },
};

int cli_limits_print(void)
{
    for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++)
        printf("%s %.0f\n", limits[i].name, limits[i].value);
    return FMS_EXIT_OK;
}

fms_status cli_limits_plot(const fms_exset *set, fms_plot_kind kind, const fms_plot_opts *opt, fms_error *err)
{
    if (kind == FMS_PLOT_SAMPLES)
        return FMS_OK;
    double pixels = (double)opt->width * (double)opt->height, terms = pixels * (double)set->data->n;
    if (terms <= FMS_BUDGET_PLOT_TERMS)
        return FMS_OK;
    return fms_error_set(err, FMS_ELIMIT, 0,
                         "plot: a %dx%d heat map of %zu data points would take %.0f engine terms (pixels times "
                         "points); the limit is %.0f (see docs/limits.md): use a smaller --size",
                         opt->width, opt->height, set->data->n, terms, FMS_BUDGET_PLOT_TERMS);
}
