/* progress.c — the one progress bar of the command line (see cli.h). */
#include "cli/cli.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

/* Nothing is drawn before a run has taken this long. */
#define DELAY_SECONDS 0.5
#define WIDTH 40

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* An fms_progress_fn: ctx is a cli_progress. */
static void update(void *ctx, double done)
{
    cli_progress *p = ctx;
    int pct = (int)(done * 100.0);
    if (!p->on || pct == p->shown)
        return;
    if (p->shown < 0 && now_seconds() - p->start < DELAY_SECONDS)
        return;
    p->shown = pct;
    int fill = pct * WIDTH / 100;
    char line[WIDTH + 1];
    for (int i = 0; i < WIDTH; i++)
        line[i] = i < fill ? '#' : ' ';
    line[WIDTH] = '\0';
    fprintf(stderr, "\r%s [%s] %3d%%", p->label, line, pct);
    fflush(stderr);
}

void cli_progress_start(cli_progress *p, const char *label, int quiet, fms_progress_fn *fn, void **ctx)
{
    p->on = !quiet && isatty(fileno(stderr));
    p->shown = -1;
    p->start = now_seconds();
    p->label = label;
    *fn = p->on ? update : NULL;
    *ctx = p->on ? p : NULL;
}

void cli_progress_end(cli_progress *p)
{
    if (p->on && p->shown >= 0) {
        /* Erase the bar so that the terminal shows only the results. */
        fprintf(stderr, "\r%*s\r", WIDTH + 12 + (int)strlen(p->label), "");
        fflush(stderr);
    }
}
