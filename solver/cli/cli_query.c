/* cli_query.c — `fmsolve query`: the posterior and velocity at one point. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

int cli_query(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "data", required_argument, NULL, 'd' },
        { "t", required_argument, NULL, 't' },
        { "x", required_argument, NULL, 'x' },
        { "x_t", required_argument, NULL, 'x' },
        { "exercises", required_argument, NULL, 'e' },
        { "json", no_argument, NULL, 'j' },
        { "format", required_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *data_spec = NULL, *exercises = NULL;
    long double t = 0.0L, x = 0.0L, one_minus_t = 1.0L;
    int have_t = 0, have_x = 0, json = 0;
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, ":d:e:f:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': data_spec = optarg; break;
        case 'e': exercises = optarg; break;
        case 't':
            if (!cli_number_l("--t", optarg, &t) || fms_numfmt_parse_one_minus(optarg, &one_minus_t) != FMS_OK)
                return FMS_EXIT_USAGE;
            have_t = 1;
            break;
        case 'x':
            if (!cli_number_l("--x", optarg, &x))
                return FMS_EXIT_USAGE;
            have_x = 1;
            break;
        case 'j': json = 1; break;
        case 'f': {
            fms_format fmt;
            if (fms_render_format_parse(optarg, &fmt) != FMS_OK || fmt == FMS_FORMAT_MARKDOWN)
                return cli_fail("--format: '%s' is not a format of query (expected text or json)", optarg);
            json = fmt == FMS_FORMAT_JSON;
            break;
        }
        case 'h':
            fputs("Usage: fmsolve query [--data LABEL=VALUE[:PROB],...] --t T --x X [--json]\n"
                  "Without --data, the data of the exercise set (--exercises FILE, or the built-in sheet).\n",
                  stdout);
            return FMS_EXIT_OK;
        default: return cli_bad_option("query", c, argv);
        }
    }
    if (optind < argc)
        return cli_fail("query: unexpected argument '%s'", argv[optind]);
    if (!have_t)
        return cli_fail("query: --t T is required (0 <= T < 1)");
    if (!have_x)
        return cli_fail("query: --x X is required (the point x_t)");
    if (data_spec && exercises)
        return cli_fail("query: give --data or --exercises, not both");

    fms_error err;
    fms_error_clear(&err);
    fms_data *d = NULL;
    fms_exset *set = NULL;
    const fms_data *use = NULL;
    if (data_spec) {
        if (fms_data_parse(data_spec, &d, &err) != FMS_OK) {
            fms_error e2;
            fms_error_clear(&e2);
            fms_error_set(&e2, err.status, 0, "--data: %s", err.msg);
            return cli_fail_error(&e2);
        }
        use = d;
    } else {
        if (!cli_load_set(exercises, &set))
            return FMS_EXIT_USAGE;
        use = set->data;
    }
    fms_strbuf out = { 0 };
    int rc;
    if (fms_render_query(use, t, one_minus_t, x, json, &out, &err) != FMS_OK)
        rc = cli_fail_error(&err);
    else
        rc = cli_emit(&out);
    fms_strbuf_free(&out);
    fms_data_free(d);
    fms_exset_free(set);
    return rc;
}
