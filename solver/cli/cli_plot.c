/* cli_plot.c — `fmsolve plot field|posterior|samples`: figures as PNG, SVG or PDF. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"

static const char plot_usage[] =
    "Usage: fmsolve plot field|posterior|samples [OPTIONS]\n"
    "  field       the exact marginal velocity u*(x_t, t), trajectories and exercise points\n"
    "  posterior   the share w(x_t, t) of the first label\n"
    "  samples     a histogram of the end points of Euler trajectories\n"
    "\n"
    "Options:\n"
    "  -o, --out FILE         the figure; .png, .svg or .pdf picks the format\n"
    "                         (default: FIGURE.png, e.g. field.png)\n"
    "  -e, --exercises FILE   the exercise set (default: the built-in sheet)\n"
    "      --size WxH         pixels (PNG) or points (SVG, PDF); default 1200x800\n"
    "      --trajectories N   field: curves drawn (default 24); samples: particles (default 4000)\n"
    "      --steps K          Euler steps per trajectory (default 100)\n"
    "      --seed S           the noise generator's seed (default 1)\n"
    "      --clip V           the field's colour map clips at +-V (default: max |u*| at t = 0)\n"
    "  -q, --quiet            no progress bar (it shows only on a terminal, for long runs)\n";

/* "WxH" with two whole numbers; the range is checked by the library. */
static int parse_size(const char *s, int *w, int *h)
{
    char *end;
    if (*s < '0' || *s > '9')
        return 0;
    long a = strtol(s, &end, 10);
    if (*end != 'x' && *end != 'X')
        return 0;
    const char *t = end + 1;
    if (*t < '0' || *t > '9')
        return 0;
    long b = strtol(t, &end, 10);
    if (*end != '\0')
        return 0;
    /* Out-of-range values become a too-large size, which the range check names. */
    *w = a > 1000000 ? 1000000 : (int)a;
    *h = b > 1000000 ? 1000000 : (int)b;
    return 1;
}

/* A progress bar on stderr, drawn only once a figure has taken a while, so
 * that the usual sub-second run prints nothing. */
typedef struct bar {
    struct timespec start;
    int shown;
} bar;

static double seconds_since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + 1e-9 * (double)(now.tv_nsec - t0->tv_nsec);
}

static void bar_update(void *ctx, double done)
{
    bar *b = ctx;
    if (!b->shown && seconds_since(&b->start) < 0.5)
        return;
    b->shown = 1;
    const int width = 40, fill = (int)(done * width + 0.5);
    char line[64];
    for (int i = 0; i < width; i++)
        line[i] = i < fill ? '#' : '.';
    line[width] = '\0';
    fprintf(stderr, "\rplot [%s] %3d%%", line, (int)(done * 100 + 0.5));
    fflush(stderr);
}

static void bar_end(bar *b)
{
    if (b->shown)
        fputs("\r\033[K", stderr);
}

int cli_plot(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "out", required_argument, NULL, 'o' },
        { "exercises", required_argument, NULL, 'e' },
        { "size", required_argument, NULL, 's' },
        { "trajectories", required_argument, NULL, 'n' },
        { "steps", required_argument, NULL, 'k' },
        { "seed", required_argument, NULL, 'r' },
        { "clip", required_argument, NULL, 'c' },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *out = NULL, *exercises = NULL;
    fms_plot_opts opt;
    fms_plot_options_init(&opt);
    long long v;
    int quiet = 0;
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, ":o:e:hq", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'e': exercises = optarg; break;
        case 's':
            if (!parse_size(optarg, &opt.width, &opt.height))
                return cli_fail("--size: '%s' is not WIDTHxHEIGHT (e.g. 1200x800)", optarg);
            break;
        case 'n':
            if (!cli_count("--trajectories", optarg, 0, FMS_PLOT_MAX_TRAJECTORIES, &v))
                return FMS_EXIT_USAGE;
            opt.trajectories = (long)v;
            break;
        case 'k':
            if (!cli_count("--steps", optarg, 1, FMS_PLOT_MAX_STEPS, &v))
                return FMS_EXIT_USAGE;
            opt.steps = (long)v;
            break;
        case 'r':
            if (!cli_count("--seed", optarg, 0, 4294967295LL, &v))
                return FMS_EXIT_USAGE;
            opt.seed = (unsigned long)v;
            break;
        case 'c':
            if (!cli_number("--clip", optarg, &opt.clip))
                return FMS_EXIT_USAGE;
            if (!(opt.clip > 0))
                return cli_fail("--clip: %s must be a positive number", optarg);
            break;
        case 'q': quiet = 1; break;
        case 'h': fputs(plot_usage, stdout); return FMS_EXIT_OK;
        default: return cli_bad_option("plot", c, argv);
        }
    }
    if (optind >= argc)
        return cli_fail("plot: which figure? (field, posterior or samples)");
    if (optind + 1 < argc)
        return cli_fail("plot: unexpected argument '%s'", argv[optind + 1]);
    fms_error err;
    fms_error_clear(&err);
    fms_plot_kind kind;
    if (fms_plot_kind_parse(argv[optind], &kind, &err) != FMS_OK)
        return cli_fail("plot: %s", err.msg);
    char def[32];
    if (!out) {
        snprintf(def, sizeof def, "%s.png", fms_plot_kind_name(kind));
        out = def;
    }
    /* Bad options and names are refused before the set is read or anything is drawn. */
    fms_plot_format fmt;
    if (opt.width < FMS_PLOT_MIN_SIDE || opt.width > FMS_PLOT_MAX_SIDE || opt.height < FMS_PLOT_MIN_SIDE ||
        opt.height > FMS_PLOT_MAX_SIDE)
        return cli_fail("--size: %dx%d is out of range (width and height %d to %d)", opt.width, opt.height,
                        FMS_PLOT_MIN_SIDE, FMS_PLOT_MAX_SIDE);
    if (fms_plot_options_check(&opt, &err) != FMS_OK)
        return cli_fail("%s", err.msg);
    if (fms_plot_format_from_path(out, &fmt, &err) != FMS_OK)
        return cli_fail("--out: %s", err.msg);
    fms_exset *set = NULL;
    if (!cli_load_set(exercises, &set))
        return FMS_EXIT_USAGE;
    int rc = FMS_EXIT_OK;
    bar b = { { 0, 0 }, 0 };
    if (!quiet && isatty(STDERR_FILENO)) {
        clock_gettime(CLOCK_MONOTONIC, &b.start);
        opt.progress = bar_update;
        opt.progress_ctx = &b;
    }
    fms_status st = fms_plot_write(set, kind, &opt, out, &err);
    bar_end(&b);
    if (st != FMS_OK)
        rc = cli_fail("%s", err.msg);
    fms_exset_free(set);
    fms_plot_release_caches();
    return rc;
}
