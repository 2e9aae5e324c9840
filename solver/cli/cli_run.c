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
    if (root == NULL)
        return cli_fail("out of memory while writing the JSON output");
    char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    json_decref(root);
    if (s == NULL)
        return cli_fail("out of memory while writing the JSON output");
    fms_strbuf out = { 0 };
    fms_strbuf_puts(&out, s);
    fms_strbuf_puts(&out, "\n");
    free(s);
    int rc = cli_emit(&out);
    fms_strbuf_free(&out);
    return rc;
}

json_t *cli_json_num(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}
