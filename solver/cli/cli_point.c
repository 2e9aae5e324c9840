/* cli_point.c — the options of the commands that take a point on a path,
 * query and convert (see cli.h). */
#include "cli/cli.h"

void cli_point_init(cli_point *p)
{
    *p = (cli_point){ 0 };
    fms_schedule_default(&p->q.schedule);
    p->q.convention = FMS_DATA_AT_1;
    p->q.one_minus_t = 1.0L;
}

/* --t: t and 1 - t, both from the decimal text (1 - t keeps its digits near t = 1). */
int cli_point_t(void *target, const char *value)
{
    cli_point *p = target;
    if (!cli_number_l("--t", value, &p->q.t) || fms_numfmt_parse_one_minus(value, &p->q.one_minus_t) != FMS_OK)
        return FMS_EXIT_USAGE;
    p->have_t = 1;
    return CLI_GO_ON;
}

int cli_point_x(void *target, const char *value)
{
    cli_point *p = target;
    if (!cli_number_l("--x", value, &p->q.x_t))
        return FMS_EXIT_USAGE;
    p->have_x = 1;
    return CLI_GO_ON;
}

int cli_point_schedule(void *target, const char *value)
{
    cli_point *p = target;
    fms_error err;
    fms_error_clear(&err);
    fms_status st = fms_schedule_parse(value, &p->q.schedule, &err);
    p->path_given = p->schedule_given = 1;
    return st == FMS_OK ? CLI_GO_ON : cli_fail("--schedule: %s", err.msg);
}

int cli_point_convention(void *target, const char *value)
{
    cli_point *p = target;
    fms_error err;
    fms_error_clear(&err);
    fms_status st = fms_schedule_convention_parse(value, &p->q.convention, &err);
    p->path_given = p->convention_given = 1;
    return st == FMS_OK ? CLI_GO_ON : cli_fail("--convention: %s", err.msg);
}

int cli_point_check(const char *cmd, const cli_point *p, const char *t_range)
{
    if (!p->have_t)
        return cli_fail("%s: --t T is required (%s)", cmd, t_range);
    if (!p->have_x)
        return cli_fail("%s: --x X is required (the point x_t)", cmd);
    if (p->data && p->run.exercises)
        return cli_fail("%s: give --data or --exercises, not both", cmd);
    return CLI_GO_ON;
}

int cli_point_data(cli_point *p, const fms_data **d, fms_data **owned)
{
    *owned = NULL;
    if (p->data) {
        fms_error err;
        fms_error_clear(&err);
        if (fms_data_parse(p->data, owned, &err) != FMS_OK)
            return cli_fail("--data: %s", err.msg);
        fms_error_clear(&p->run.err);
        *d = *owned;
        return CLI_GO_ON;
    }
    int rc = cli_run_begin(&p->run, NULL, NULL, NULL);
    if (rc != CLI_GO_ON)
        return rc;
    const fms_exset *set = p->run.set;
    *d = set->data;
    if (!p->schedule_given)
        p->q.schedule = set->schedule;
    if (!p->convention_given)
        p->q.convention = set->convention;
    if (!fms_exset_seed_path(set))
        p->path_given = 1;
    return CLI_GO_ON;
}
