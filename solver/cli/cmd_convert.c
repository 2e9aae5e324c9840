/* cmd_convert.c — `fmsolve convert`: a model's output converted from one
 * parameterization to another at one point of a path (pathreport.h). */
#include "cli/cli.h"

static const char convert_usage[] =
    "Usage: fmsolve convert --from P --to Q [--schedule S] [--convention C] --t T --x X\n"
    "                       --value Y [--json] [--exercises FILE | --data LABEL=VALUE[:PROB],...]\n"
    "Converts Y, the output of a P-model at (x_t, t), into the Q-parameterization, and\n"
    "prints the formula used.  P and Q are velocity, epsilon, x1, score or v; S is condot\n"
    "(default), poly:N, cosine, linear-vp, vp[:b,B] or ve:smin,smax; C is data-at-1\n"
    "(default) or data-at-0.  Where the conversion is undetermined (e.g. epsilon to\n"
    "velocity at alpha = 0) it says why and gives the exact model's value there, from the\n"
    "data of the exercise set (the built-in sheet unless --exercises or --data).\n";

typedef struct convert_args {
    cli_point p;
    fms_param from, to;
    long double value;
    int have_from, have_to, have_value;
} convert_args;

static int param_option(const char *option, const char *value, fms_param *out, int *have)
{
    fms_error err;
    fms_error_clear(&err);
    if (fms_param_parse(value, out, &err) != FMS_OK)
        return cli_fail("%s: %s", option, err.msg);
    *have = 1;
    return CLI_GO_ON;
}

static int parse_from(void *target, const char *value)
{
    convert_args *a = target;
    return param_option("--from", value, &a->from, &a->have_from);
}

static int parse_to(void *target, const char *value)
{
    convert_args *a = target;
    return param_option("--to", value, &a->to, &a->have_to);
}

static int parse_value(void *target, const char *value)
{
    convert_args *a = target;
    if (!cli_number_l("--value", value, &a->value))
        return FMS_EXIT_USAGE;
    a->have_value = 1;
    return CLI_GO_ON;
}

static int parse(int argc, char **argv, convert_args *a)
{
    const cli_opt opts[] = {
        CLI_POINT_OPTS(&a->p),
        { .name = "from", .has_value = 1, .kind = CLI_OPT_CALL, .target = a, .call = parse_from },
        { .name = "to", .has_value = 1, .kind = CLI_OPT_CALL, .target = a, .call = parse_to },
        { .name = "value", .has_value = 1, .kind = CLI_OPT_CALL, .target = a, .call = parse_value },
        CLI_HELP_OPT(convert_usage),
    };
    int rc = cli_options_parse("convert", opts, CLI_NOPTS(opts), 0, argc, argv);
    if (rc != CLI_GO_ON)
        return rc;
    if (!a->have_from || !a->have_to)
        return cli_fail("convert: --from P and --to Q are required (velocity, epsilon, x1, score or v)");
    if (!a->have_value)
        return cli_fail("convert: --value Y is required (the P-model's output at x_t, t)");
    return cli_point_check("convert", &a->p, "0 <= T <= 1");
}

int cmd_convert(int argc, char **argv)
{
    convert_args a = { .have_from = 0 };
    cli_point_init(&a.p);
    int rc = parse(argc, argv, &a);
    if (rc != CLI_GO_ON)
        return rc;
    const fms_data *d = NULL;
    fms_data *owned = NULL;
    if ((rc = cli_point_data(&a.p, &d, &owned)) != CLI_GO_ON)
        return rc;
    fms_status st = fms_pathreport_convert(d, &a.p.q, a.from, a.to, a.value, a.p.run.json, &a.p.run.text,
                                           &a.p.run.err);
    rc = cli_run_end(&a.p.run, st);
    fms_data_free(owned);
    return rc;
}
