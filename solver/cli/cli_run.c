/* cli_run.c — what the long-running commands (simulate, train, sample) share: the progress bar, seeds, JSON output (see cli.h). */
#include "cli/cli.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>

#include <string.h>
#include <unistd.h>

void cli_progress_init(cli_progress *p, const char *label, int quiet)
{
    p->on = !quiet && isatty(fileno(stderr));
    p->shown = -1;
    p->label = label;
}

void cli_progress_update(void *ctx, double done)
{
    cli_progress *p = ctx;
    if (!p->on)
        return;
    int pct = (int)(done * 100.0);
    if (pct == p->shown)
        return;
    p->shown = pct;
    int width = 40, fill = pct * width / 100;
    fprintf(stderr, "\r%s [", p->label);
    for (int i = 0; i < width; i++)
        fputc(i < fill ? '#' : ' ', stderr);
    fprintf(stderr, "] %3d%%", pct);
    fflush(stderr);
}

void cli_progress_end(cli_progress *p)
{
    if (p->on && p->shown >= 0) {
        /* Erase the bar so that the terminal shows only the results. */
        fprintf(stderr, "\r%*s\r", 60 + (int)strlen(p->label), "");
        fflush(stderr);
    }
}

int cli_seed(const char *value, uint64_t *out)
{
    long long v;
    if (!cli_count("--seed", value, 0, LLONG_MAX, &v))
        return 0;
    *out = (uint64_t)v;
    return 1;
}

int cli_emit_json(json_t *root)
{
    fms_strbuf out = { 0 };
    int rc = fms_json_append(&out, root, NULL) == FMS_OK ? cli_emit(&out)
                                                          : cli_fail("out of memory while writing the JSON output");
    fms_strbuf_free(&out);
    return rc;
}

json_t *cli_json_num(double x)
{
    return fms_json_num(x);
}
