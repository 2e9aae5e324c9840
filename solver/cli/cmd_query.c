/* cmd_query.c — `fmsolve query`: the posterior and velocity at one point;
 * with --schedule or --convention, the exact model on that path in all five
 * parameterizations (pathreport.h). */
#include <stdlib.h>

#include "cli/cli.h"

static const char query_usage[] =
    "Usage: fmsolve query [--data LABEL=VALUE[:PROB],...] [--schedule S] [--convention C]\n"
    "                     --t T --x X [--json]\n"
    "Without --data, the data of the exercise set (--exercises FILE, or the built-in sheet).\n"
    "S is condot (default), poly:N, cosine, linear-vp, vp[:b,B] or ve:smin,smax; C is\n"
    "data-at-1 (default) or data-at-0.  With either, the output adds the schedule (alpha,\n"
    "sigma and their rates) and the score and v-prediction, and t = 1 gives the limits.\n";

static int parse_format(void *target, const char *value)
{
    fms_format fmt;
    if (fms_render_format_parse(value, &fmt) != FMS_OK || fmt == FMS_FORMAT_MARKDOWN)
        return cli_fail("--format: '%s' is not a format of query (expected text or json)", value);
    *(int *)target = fmt == FMS_FORMAT_JSON;
    return CLI_GO_ON;
}

static int parse(int argc, char **argv, cli_point *q)
{
    const cli_opt opts[] = {
        CLI_POINT_OPTS(q),
        { .name = "format", .letter = 'f', .has_value = 1, .kind = CLI_OPT_CALL, .target = &q->run.json,
          .call = parse_format },
        CLI_HELP_OPT(query_usage),
    };
    int rc = cli_options_parse("query", opts, CLI_NOPTS(opts), 0, argc, argv);
    return rc == CLI_GO_ON ? cli_point_check("query", q, q->path_given ? "0 <= T <= 1" : "0 <= T < 1") : rc;
}

int cmd_query(int argc, char **argv)
{
    cli_point q;
    cli_point_init(&q);
    int rc = parse(argc, argv, &q);
    if (rc != CLI_GO_ON)
        return rc;
    const fms_data *d = NULL;
    fms_data *owned = NULL;
    if ((rc = cli_point_data(&q, &d, &owned)) != CLI_GO_ON)
        return rc;
    /* The JSON comes as text from the renderer: written as text. */
    fms_status st = q.path_given
                        ? fms_pathreport_query(d, &q.q, q.run.json, &q.run.text, &q.run.err)
                        : fms_render_query(d, q.q.t, q.q.one_minus_t, q.q.x_t, q.run.json, &q.run.text, &q.run.err);
    rc = cli_run_end(&q.run, st);
    fms_data_free(owned);
    return rc;
}
