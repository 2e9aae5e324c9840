/* affine_dump.c — a test-only front end to schedule.h, param.h and affine.h
 * for tests/scripts/verify_schedules.py (no command line of fmsolve needed).
 *
 * Reads one request a line on stdin and answers one line on stdout:
 *   name S                        ok CANONICAL
 *   sched S C T                   ok alpha sigma alpha_dot sigma_dot snr_rate norm_rate norm flags
 *   conv S C P Q T XT Y           ok DETERMINED VALUE GAIN X1_GAIN | REASON
 *   exact S C T XT DATA           ok VELOCITY EPSILON X1 SCORE V LIMIT
 *   exconv S C P Q T XT Y DATA    ok DETERMINED VALUE EXACT | REASON
 *   formula P Q                   ok FORMULA
 * S a schedule name, C data-at-1 or data-at-0, P and Q parameterizations, T,
 * XT, Y decimal numbers (T read from its digits, with 1 − T), DATA a spec as
 * fms_data_parse takes ("A=0.5,B=-0.5:2").  Long doubles are printed with
 * %.21Le, doubles with %.17e.  A failure answers "err STATUS MESSAGE".
 */
#include <stdio.h>
#include <string.h>

#include "fmsolve.h"

#define MAXTOK 10

static int fail(fms_status st, const fms_error *e)
{
    printf("err %d %s\n", (int)st, e->msg);
    return 0;
}

/* Parses the schedule, convention and time of a request into a point. */
static fms_status point_of(char **tok, fms_schedule_point *pt, fms_error *e)
{
    fms_schedule s;
    fms_time_convention c;
    fms_status st = fms_schedule_parse(tok[0], &s, e);
    if (st == FMS_OK)
        st = fms_schedule_convention_parse(tok[1], &c, e);
    if (st == FMS_OK)
        st = fms_schedule_eval_text(&s, c, tok[2], pt, e);
    return st;
}

static fms_status number(const char *text, long double *out, fms_error *e)
{
    if (fms_numfmt_parse_ld(text, out) != FMS_OK)
        return fms_error_set(e, FMS_EINVAL, 0, "not a number: %s", text);
    return FMS_OK;
}

static int do_sched(char **tok, fms_error *e)
{
    fms_schedule_point p;
    fms_status st = point_of(tok, &p, e);
    if (st != FMS_OK)
        return fail(st, e);
    printf("ok %.21Le %.21Le %.21Le %.21Le %.21Le %.21Le %.21Le %u\n", p.alpha, p.sigma, p.alpha_dot, p.sigma_dot,
           p.snr_rate, p.norm_rate, p.norm, fms_schedule_point_flags(&p));
    return 0;
}

/* conv S C P Q T XT Y, and exconv with DATA after Y. */
static int do_conv(char **tok, int with_data, fms_error *e)
{
    char *pt_tok[3] = { tok[0], tok[1], tok[4] };
    fms_schedule_point p;
    fms_param from, to;
    long double xt, y;
    fms_status st = point_of(pt_tok, &p, e);
    if (st == FMS_OK)
        st = fms_param_parse(tok[2], &from, e);
    if (st == FMS_OK)
        st = fms_param_parse(tok[3], &to, e);
    if (st == FMS_OK)
        st = number(tok[5], &xt, e);
    if (st == FMS_OK)
        st = number(tok[6], &y, e);
    fms_param_conversion cv;
    double exact = 0.0;
    fms_data *d = NULL;
    if (st == FMS_OK && with_data)
        st = fms_data_parse(tok[7], &d, e);
    if (st == FMS_OK)
        st = with_data ? fms_affine_convert(d, &p, from, to, xt, y, &cv, &exact, e)
                       : fms_param_convert(from, to, &p, xt, y, &cv, e);
    fms_data_free(d);
    if (st != FMS_OK)
        return fail(st, e);
    printf("ok %d %.17e %.17e %.17e | %s\n", cv.determined, cv.value, with_data ? exact : cv.gain,
           with_data ? 0.0 : cv.x1_gain, cv.reason);
    return 0;
}

static int do_exact(char **tok, fms_error *e)
{
    fms_schedule_point p;
    long double xt;
    fms_data *d = NULL;
    fms_affine_result r;
    fms_status st = point_of(tok, &p, e);
    if (st == FMS_OK)
        st = number(tok[3], &xt, e);
    if (st == FMS_OK)
        st = fms_data_parse(tok[4], &d, e);
    if (st == FMS_OK)
        st = fms_affine_eval(d, &p, xt, NULL, &r, e);
    fms_data_free(d);
    if (st != FMS_OK)
        return fail(st, e);
    printf("ok %.17e %.17e %.17e %.17e %.17e %d\n", r.value[FMS_PARAM_VELOCITY], r.value[FMS_PARAM_EPSILON],
           r.value[FMS_PARAM_X1], r.value[FMS_PARAM_SCORE], r.value[FMS_PARAM_V], r.limit);
    return 0;
}

static int do_request(char **tok, int n, fms_error *e)
{
    fms_schedule s;
    fms_param p, q;
    char name[FMS_SCHEDULE_NAME_MAX];
    fms_status st;
    if (n == 2 && strcmp(tok[0], "name") == 0) {
        if ((st = fms_schedule_parse(tok[1], &s, e)) != FMS_OK || (st = fms_schedule_name(&s, name)) != FMS_OK)
            return fail(st, e);
        return printf("ok %s\n", name), 0;
    }
    if (n == 4 && strcmp(tok[0], "sched") == 0)
        return do_sched(tok + 1, e);
    if (n == 8 && strcmp(tok[0], "conv") == 0)
        return do_conv(tok + 1, 0, e);
    if (n == 9 && strcmp(tok[0], "exconv") == 0)
        return do_conv(tok + 1, 1, e);
    if (n == 6 && strcmp(tok[0], "exact") == 0)
        return do_exact(tok + 1, e);
    if (n == 3 && strcmp(tok[0], "formula") == 0) {
        if ((st = fms_param_parse(tok[1], &p, e)) != FMS_OK || (st = fms_param_parse(tok[2], &q, e)) != FMS_OK)
            return fail(st, e);
        return printf("ok %s\n", fms_param_formula(p, q)), 0;
    }
    return fms_error_set(e, FMS_EINVAL, 0, "bad request"), fail(FMS_EINVAL, e);
}

int main(void)
{
    char line[4096];
    while (fgets(line, sizeof line, stdin)) {
        char *tok[MAXTOK];
        int n = 0;
        for (char *t = strtok(line, " \t\r\n"); t && n < MAXTOK; t = strtok(NULL, " \t\r\n"))
            tok[n++] = t;
        if (n == 0)
            continue;
        fms_error e;
        fms_error_clear(&e);
        do_request(tok, n, &e);
        fflush(stdout);
    }
    return 0;
}
