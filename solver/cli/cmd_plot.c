/* cmd_plot.c — `fmsolve plot field|posterior|samples`: figures as PNG, SVG or PDF. */
#include <math.h>
#include <stdlib.h>

#include "cli/cli.h"

static const char plot_usage[] =
    "Usage: fmsolve plot field|posterior|samples [OPTIONS]\n"
    "  field       the exact marginal velocity u*(x_t, t), trajectories and exercise points\n"
    "  posterior   the share w(x_t, t) of the first label\n"
    "  samples     a histogram of the end points of the sampler's trajectories\n"
    "\n"
    "Options:\n"
    "  -o, --out FILE         the figure; .png, .svg or .pdf picks the format\n"
    "                         (default: FIGURE.png, e.g. field.png)\n"
    "  -e, --exercises FILE   the exercise set (default: the built-in sheet)\n"
    "      --size WxH         pixels (PNG) or points (SVG, PDF); default 1200x800\n"
    "      --trajectories N   field: curves drawn (default 24); samples: particles (default 4000)\n"
    "      --method M         the sampler, as in fmsolve sample (default rk4)\n"
    "      --steps K          model evaluations per trajectory (default 100)\n"
    "      --rho R            the sampler's time grid 1 - (1 - j/N)^R (default 2)\n"
    "      --tol E            adaptive only: the tolerance (default 1e-6)\n"
    "      --seed S           the noise generator's seed (default 1)\n"
    "      --clip V           the field's colour map clips at +-V (default: max |u*| at t = 0)\n"
    "  -q, --quiet            no progress bar (it shows only on a terminal, for long runs)\n";

typedef struct plot_args {
    cli_run run;       /* --exercises, --quiet, the set, the bar */
    const char *out;
    fms_plot_opts opt;
    long long trajectories, steps; /* read as counts, then stored in opt */
    double rho, tol;   /* 0: not given */
    char def[32];  /* the default file name, FIGURE.png */
} plot_args;

static int parse_method(void *target, const char *value)
{
    if (fms_sampler_method_parse(value, target) != FMS_OK)
        return cli_fail("--method: '%s' is not a method (expected euler, midpoint, heun, rk4, dpm2 or adaptive)",
                        value);
    return CLI_GO_ON;
}

/* The library's warnings (a figure that cannot show the data) on stderr. */
static void warn(void *ctx, const char *message)
{
    (void)ctx;
    fprintf(stderr, "fmsolve: warning: %s\n", message);
}

/* --size "WxH" with two whole numbers; the range is checked by the library. */
static int parse_size(void *target, const char *value)
{
    fms_plot_opts *opt = target;
    char *end;
    long a = 0, b = 0;
    int ok = *value >= '0' && *value <= '9';
    if (ok) {
        a = strtol(value, &end, 10);
        ok = (*end == 'x' || *end == 'X') && end[1] >= '0' && end[1] <= '9';
    }
    if (ok) {
        b = strtol(end + 1, &end, 10);
        ok = *end == '\0';
    }
    if (!ok)
        return cli_fail("--size: '%s' is not WIDTHxHEIGHT (e.g. 1200x800)", value);
    /* Out-of-range values become a too-large size, which the range check names. */
    opt->width = a > 1000000 ? 1000000 : (int)a;
    opt->height = b > 1000000 ? 1000000 : (int)b;
    return CLI_GO_ON;
}

static int parse(int argc, char **argv, plot_args *p)
{
    const cli_opt opts[] = {
        { .name = "out", .letter = 'o', .kind = CLI_OPT_TEXT, .target = &p->out },
        CLI_EXERCISES_OPT(&p->run.exercises),
        { .name = "size", .has_value = 1, .kind = CLI_OPT_CALL, .target = &p->opt, .call = parse_size },
        { .name = "trajectories", .kind = CLI_OPT_COUNT, .target = &p->trajectories,
          .lo = 0, .hi = FMS_PLOT_MAX_TRAJECTORIES },
        { .name = "method", .has_value = 1, .kind = CLI_OPT_CALL, .target = &p->opt.method, .call = parse_method },
        { .name = "steps", .kind = CLI_OPT_COUNT, .target = &p->steps, .lo = 1, .hi = FMS_PLOT_MAX_STEPS },
        { .name = "rho", .kind = CLI_OPT_REAL, .target = &p->rho, .min = 0.0, .max = FMS_SAMPLER_MAX_RHO,
          .text = "must be 1 to 10" },
        { .name = "tol", .kind = CLI_OPT_REAL, .target = &p->tol, .min = 0.0, .max = FMS_SAMPLER_MAX_TOL,
          .text = "must be above 0 and at most 0.1" },
        CLI_SEED_OPT(&p->opt.seed),
        { .name = "clip", .kind = CLI_OPT_REAL, .target = &p->opt.clip, .min = 0.0, .max = HUGE_VAL,
          .text = "must be a positive number" },
        CLI_QUIET_OPT(&p->run.quiet),
        CLI_HELP_OPT(plot_usage),
    };
    p->trajectories = p->opt.trajectories;
    p->steps = p->opt.steps;
    int rc = cli_options_parse("plot", opts, CLI_NOPTS(opts), 1, argc, argv);
    if (rc != CLI_GO_ON)
        return rc;
    p->opt.trajectories = (long)p->trajectories;
    p->opt.steps = (long)p->steps;
    if (p->rho > 0.0 && p->rho < 1.0)
        return cli_fail("--rho: %g must be 1 to 10", p->rho);
    if (p->tol > 0.0 && p->opt.method != FMS_SAMPLER_ADAPTIVE)
        return cli_fail("--tol: only the adaptive method takes a tolerance (--method adaptive)");
    if (p->rho > 0.0)
        p->opt.rho = p->rho;
    if (p->tol > 0.0)
        p->opt.tol = p->tol;
    if (optind >= argc)
        return cli_fail("plot: which figure? (field, posterior or samples)");
    return CLI_GO_ON;
}

/* Bad options and names are refused before the set is read or anything is drawn. */
static int check_args(plot_args *p, const char *figure, fms_plot_kind *kind)
{
    fms_error err;
    fms_error_clear(&err);
    if (fms_plot_kind_parse(figure, kind, &err) != FMS_OK)
        return cli_fail("plot: %s", err.msg);
    if (!p->out) {
        snprintf(p->def, sizeof p->def, "%s.png", fms_plot_kind_name(*kind));
        p->out = p->def;
    }
    const fms_plot_opts *o = &p->opt;
    if (o->width < FMS_PLOT_MIN_SIDE || o->width > FMS_PLOT_MAX_SIDE || o->height < FMS_PLOT_MIN_SIDE ||
        o->height > FMS_PLOT_MAX_SIDE)
        return cli_fail("--size: %dx%d is out of range (width and height %d to %d)", o->width, o->height,
                        FMS_PLOT_MIN_SIDE, FMS_PLOT_MAX_SIDE);
    if (fms_plot_options_check(o, &err) != FMS_OK)
        return cli_fail("%s", err.msg);
    fms_plot_format fmt;
    if (fms_plot_format_from_path(p->out, &fmt, &err) != FMS_OK)
        return cli_fail("--out: %s", err.msg);
    return CLI_GO_ON;
}

int cmd_plot(int argc, char **argv)
{
    plot_args p = { 0 };
    fms_plot_options_init(&p.opt);
    fms_plot_kind kind;
    int rc = parse(argc, argv, &p);
    if (rc == CLI_GO_ON)
        rc = check_args(&p, argv[optind], &kind);
    if (rc == CLI_GO_ON)
        rc = cli_run_begin(&p.run, "plot", &p.opt.progress, &p.opt.progress_ctx);
    p.opt.warn = warn;
    if (rc != CLI_GO_ON)
        return rc;
    fms_status st = cli_limits_plot(p.run.set, kind, &p.opt, p.out, &p.run.err);
    rc = cli_run_end(&p.run, st == FMS_OK ? fms_plot_write(p.run.set, kind, &p.opt, p.out, &p.run.err) : st);
    fms_plot_release_caches();
    return rc;
}
