/* cmd_query.c — `fmsolve query`: the posterior and velocity at one point. */
#include <stdlib.h>

#include "cli/cli.h"

static const char query_usage[] =
    "Usage: fmsolve query [--data LABEL=VALUE[:PROB],...] --t T --x X [--json]\n"
    "Without --data, the data of the exercise set (--exercises FILE, or the built-in sheet).\n";

typedef struct query_args {
    cli_run run;  /* --exercises, --json, the set, the output */
    const char *data;
    long double t, one_minus_t, x;
    int have_t, have_x;
} query_args;

/* --t: t and 1 - t, both from the decimal text (1 - t keeps its digits near t = 1). */
static int parse_t(void *target, const char *value)
{
    query_args *q = target;
    if (!cli_number_l("--t", value, &q->t) || fms_numfmt_parse_one_minus(value, &q->one_minus_t) != FMS_OK)
        return FMS_EXIT_USAGE;
    q->have_t = 1;
    return CLI_GO_ON;
}

static int parse_x(void *target, const char *value)
{
    query_args *q = target;
    if (!cli_number_l("--x", value, &q->x))
        return FMS_EXIT_USAGE;
    q->have_x = 1;
    return CLI_GO_ON;
}

static int parse_format(void *target, const char *value)
{
    fms_format fmt;
    if (fms_render_format_parse(value, &fmt) != FMS_OK || fmt == FMS_FORMAT_MARKDOWN)
        return cli_fail("--format: '%s' is not a format of query (expected text or json)", value);
    *(int *)target = fmt == FMS_FORMAT_JSON;
    return CLI_GO_ON;
}

static int parse(int argc, char **argv, query_args *q)
{
    const cli_opt opts[] = {
        { .name = "data", .letter = 'd', .kind = CLI_OPT_TEXT, .target = &q->data },
        { .name = "t", .has_value = 1, .kind = CLI_OPT_CALL, .target = q, .call = parse_t },
        { .name = "x", .has_value = 1, .kind = CLI_OPT_CALL, .target = q, .call = parse_x },
        { .name = "x_t", .has_value = 1, .kind = CLI_OPT_CALL, .target = q, .call = parse_x },
        CLI_EXERCISES_OPT(&q->run.exercises),
        CLI_JSON_OPT(&q->run.json),
        { .name = "format", .letter = 'f', .has_value = 1, .kind = CLI_OPT_CALL, .target = &q->run.json,
          .call = parse_format },
        CLI_HELP_OPT(query_usage),
    };
    int rc = cli_options_parse("query", opts, CLI_NOPTS(opts), 0, argc, argv);
    if (rc != CLI_GO_ON)
        return rc;
    if (!q->have_t)
        return cli_fail("query: --t T is required (0 <= T < 1)");
    if (!q->have_x)
        return cli_fail("query: --x X is required (the point x_t)");
    if (q->data && q->run.exercises)
        return cli_fail("query: give --data or --exercises, not both");
    return CLI_GO_ON;
}

/* Parses --data; on failure prints "fmsolve: --data: ..." and returns NULL. */
static fms_data *parse_data(const char *spec)
{
    fms_data *d = NULL;
    fms_error err;
    fms_error_clear(&err);
    if (fms_data_parse(spec, &d, &err) == FMS_OK)
        return d;
    cli_fail("--data: %s", err.msg);
    return NULL;
}

int cmd_query(int argc, char **argv)
{
    query_args q = { .one_minus_t = 1.0L };
    int rc = parse(argc, argv, &q);
    if (rc != CLI_GO_ON)
        return rc;
    /* The data of --data, or of the exercise set. */
    fms_data *d = NULL;
    if (q.data && (d = parse_data(q.data)) == NULL)
        return FMS_EXIT_USAGE;
    if (d)
        fms_error_clear(&q.run.err);
    else if ((rc = cli_run_begin(&q.run, NULL, NULL, NULL)) != CLI_GO_ON)
        return rc;
    /* The JSON comes as text from the renderer: written as text. */
    fms_status st = fms_render_query(d ? d : q.run.set->data, q.t, q.one_minus_t, q.x, q.run.json, &q.run.text,
                                     &q.run.err);
    rc = cli_run_end(&q.run, st);
    fms_data_free(d);
    return rc;
}
