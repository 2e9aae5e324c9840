/* fuzz_schedule.c — libFuzzer entry point over the schedule, convention,
 * time and parameterization parsers (schedule.h, param.h) and everything
 * they feed: the schedule at that time, the conversion and the exact model.
 *
 * The input is up to seven lines: schedule, convention, t, from, to, x_t, y.
 * Invariants checked (abort on violation): a parsed schedule's canonical name
 * parses back to the same schedule and name; a determined conversion is
 * finite, an undetermined one carries a reason; the exact model returns no
 * NaN except for the velocity and the score (affine.h's open limits).
 * Built as a fuzzer only with clang and -Dfuzz=true; the replay driver
 * (tests/unit/fuzz_replay.c) feeds it fuzz/corpus_schedule/ under gcc.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fmsolve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { NLINES = 7, LINE_MAX_LEN = 256 };

/* Splits the input into at most NLINES NUL-terminated lines (missing ones empty). */
static void split(const uint8_t *data, size_t size, char lines[NLINES][LINE_MAX_LEN])
{
    memset(lines, 0, (size_t)NLINES * LINE_MAX_LEN);
    size_t line = 0, col = 0;
    for (size_t i = 0; i < size && line < NLINES; i++) {
        if (data[i] == '\n') {
            line++;
            col = 0;
        } else if (col < LINE_MAX_LEN - 1) {
            lines[line][col++] = (char)data[i];
        }
    }
}

static void check_name(const fms_schedule *s)
{
    char name[FMS_SCHEDULE_NAME_MAX], again[FMS_SCHEDULE_NAME_MAX];
    fms_schedule back;
    if (fms_schedule_name(s, name) != FMS_OK || fms_schedule_parse(name, &back, NULL) != FMS_OK ||
        back.kind != s->kind || back.param[0] != s->param[0] || back.param[1] != s->param[1] ||
        fms_schedule_name(&back, again) != FMS_OK || strcmp(name, again) != 0)
        abort();
}

static void check_model(const fms_schedule_point *p, long double x_t)
{
    static fms_data *d;
    if (d == NULL && fms_data_parse("A=0.5,B=-0.5,C=1.25:3", &d, NULL) != FMS_OK)
        abort();
    fms_component c[3];
    fms_affine_result r;
    if (fms_affine_eval(d, p, x_t, c, &r, NULL) != FMS_OK)
        return;
    for (int q = 0; q < FMS_PARAM_COUNT; q++)
        if (isnan(r.value[q]) && q != FMS_PARAM_VELOCITY && q != FMS_PARAM_SCORE)
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char lines[NLINES][LINE_MAX_LEN];
    split(data, size, lines);
    fms_schedule s;
    fms_time_convention conv = FMS_DATA_AT_1;
    fms_schedule_point p;
    fms_param from = FMS_PARAM_X1, to = FMS_PARAM_VELOCITY;
    long double x_t = 0.25L, y = 0.5L;
    if (fms_schedule_parse(lines[0], &s, NULL) != FMS_OK)
        return 0;
    check_name(&s);
    fms_schedule_convention_parse(lines[1], &conv, NULL);
    if (fms_schedule_eval_text(&s, conv, lines[2], &p, NULL) != FMS_OK)
        return 0;
    fms_param_parse(lines[3], &from, NULL);
    fms_param_parse(lines[4], &to, NULL);
    if (fms_numfmt_parse_ld(lines[5], &x_t) != FMS_OK)
        x_t = 0.25L;
    if (fms_numfmt_parse_ld(lines[6], &y) != FMS_OK)
        y = 0.5L;
    fms_param_conversion cv;
    if (fms_param_convert(from, to, &p, x_t, y, &cv, NULL) == FMS_OK) {
        if (cv.determined ? !isfinite(cv.value) : cv.reason[0] == '\0')
            abort();
    }
    check_model(&p, x_t);
    return 0;
}
