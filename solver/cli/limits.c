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
    { "plot-points", FMS_BUDGET_PLOT_POINTS },
    { "plot-side-min", FMS_PLOT_MIN_SIDE },
    { "plot-side-max", FMS_PLOT_MAX_SIDE },
    { "plot-trajectories", FMS_PLOT_MAX_TRAJECTORIES },
    { "plot-steps", FMS_PLOT_MAX_STEPS },
    { "sample-particles", (double)FMS_SAMPLER_MAX_PARTICLES },
    { "sample-steps", (double)FMS_SAMPLER_MAX_STEPS },
    { "simulate-samples", (double)FMS_SIMULATE_MAX_SAMPLES },
    { "train-steps", (double)FMS_TRAIN_MAX_STEPS },
};

/* The curves of a vector figure (field in SVG or PDF): bytes written and
 * held per point of a curve, measured with cairo 1.16 (docs/limits.md). */
static const struct vector_rate {
    fms_plot_format fmt;
    const char *name, *article;
    double out, mem;
} vector_rates[] = {
    { FMS_PLOT_SVG, "svg", "an SVG", 24, 40 },
    { FMS_PLOT_PDF, "pdf", "a PDF", 8, 16 },
};

int cli_limits_print(void)
{
    for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++)
        printf("%s %.0f\n", limits[i].name, limits[i].value);
    printf("key-item-bytes %d\nexercise-bytes %d\nline-bytes %d\n", FMS_BUDGET_KEY_ITEM_BYTES,
           FMS_BUDGET_EXERCISE_BYTES, FMS_BUDGET_LINE_BYTES);
    for (int p = FMS_PRODUCT_LIST; fms_budget_rate_of((fms_budget_product)p); p++) {
        const fms_budget_rate *r = fms_budget_rate_of((fms_budget_product)p);
        if (r->out_per_item == 0 && r->mem_per_item == 0)
            continue;
        printf("%s-output-per-item %.0f\n%s-memory-per-item %.0f\n", r->name, r->out_per_item, r->name,
               r->mem_per_item);
    }
    for (size_t i = 0; i < sizeof vector_rates / sizeof vector_rates[0]; i++)
        printf("%s-output-per-point %.0f\n%s-memory-per-point %.0f\n", vector_rates[i].name, vector_rates[i].out,
               vector_rates[i].name, vector_rates[i].mem);
    return FMS_EXIT_OK;
}

static fms_status curves_budget(fms_plot_format fmt, const fms_plot_opts *opt, fms_error *err)
{
    const double curves = opt->trajectories < 0 ? 24 : (double)opt->trajectories;
    const double points = curves * ((double)opt->steps + 1.0);
    for (size_t i = 0; i < sizeof vector_rates / sizeof vector_rates[0]; i++) {
        if (vector_rates[i].fmt != fmt)
            continue;
        double out = points * vector_rates[i].out, mem = points * vector_rates[i].mem;
        if (out > FMS_BUDGET_OUTPUT_BYTES || mem > FMS_BUDGET_MEMORY_BYTES)
            return fms_error_set(err, FMS_ELIMIT, 0,
                                 "plot: %.0f curves of %ld steps would make %s of about %.0f bytes (%.0f in memory); "
                                 "the limits are %.0f and %.0f (see docs/limits.md): use fewer --trajectories or "
                                 "--steps, or a PNG",
                                 curves, opt->steps, vector_rates[i].article, out, mem, FMS_BUDGET_OUTPUT_BYTES,
                                 FMS_BUDGET_MEMORY_BYTES);
    }
    return FMS_OK;
}

fms_status cli_limits_plot(const fms_exset *set, fms_plot_kind kind, const fms_plot_opts *opt, const char *path,
                           fms_error *err)
{
    if (set->data->n > FMS_BUDGET_PLOT_POINTS)
        return fms_error_set(err, FMS_ELIMIT, 0,
                             "plot: the set has %zu data points; a figure draws at most %d (see docs/limits.md)",
                             set->data->n, FMS_BUDGET_PLOT_POINTS);
    if (kind == FMS_PLOT_SAMPLES)
        return FMS_OK;
    double pixels = (double)opt->width * (double)opt->height, terms = pixels * (double)set->data->n;
    if (terms > FMS_BUDGET_PLOT_TERMS)
        return fms_error_set(err, FMS_ELIMIT, 0,
                             "plot: a %dx%d heat map of %zu data points would take %.0f engine terms (pixels times "
                             "points); the limit is %.0f (see docs/limits.md): use a smaller --size",
                             opt->width, opt->height, set->data->n, terms, FMS_BUDGET_PLOT_TERMS);
    fms_plot_format fmt;
    if (kind == FMS_PLOT_FIELD && fms_plot_format_from_path(path, &fmt, NULL) == FMS_OK)
        return curves_budget(fmt, opt, err);
    return FMS_OK;
}
