/* report.c — see report.h. */
#include "grading/report.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "grading/gradescope.h"
#include "base/utf8.h"

fms_status fms_report_format_parse(const char *name, fms_report_format *out)
{
    if (strcmp(name, "text") == 0)
        *out = FMS_REPORT_TEXT;
    else if (strcmp(name, "json") == 0)
        *out = FMS_REPORT_JSON;
    else if (strcmp(name, "gradescope") == 0)
        *out = FMS_REPORT_GRADESCOPE;
    else
        return FMS_EINVAL;
    return FMS_OK;
}

/* Answers are echoed in the text report; a long one is cut (at a UTF-8
 * character boundary) so that one line stays one line. */
static void put_short(fms_strbuf *out, const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max) {
        fms_strbuf_puts(out, s);
        return;
    }
    fms_strbuf_putn(out, s, fms_utf8_cut(s, n, max));
    fms_strbuf_puts(out, "…");
}

/* Points as a person writes them: "3", "1.5", "0.333". */
static void points_text(double p, char buf[32])
{
    snprintf(buf, 32, "%.3f", p);
    char *end = buf + strlen(buf);
    while (end > buf && end[-1] == '0')
        *--end = '\0';
    if (end > buf && end[-1] == '.')
        end[-1] = '\0';
}

/* The points of exercise x's items in g (from item i on): earned and max. */
static void exercise_points(const fms_grade *g, size_t i, double *got, double *max)
{
    size_t ex = g->items[i].key->exercise;
    *got = *max = 0.0;
    for (; i < g->n && g->items[i].key->exercise == ex; i++) {
        *got += g->items[i].points;
        *max += g->items[i].max_points;
    }
}

/* The feedback of a correct item after its answer, in parentheses, when it
 * says more than "Correct.": "Correct: read as 0.5." is "(read as 0.5)". */
static void correct_note(fms_strbuf *out, const char *fb)
{
    if (strncmp(fb, "Correct.", 8) == 0 || strncmp(fb, "Correct: ", 9) == 0)
        fb += fb[7] == '.' ? 8 : 9;
    fb += strspn(fb, " ");
    size_t n = strlen(fb);
    if (n > 0 && fb[n - 1] == '.')
        n--;
    if (n == 0)
        return;
    fms_strbuf_puts(out, "  (");
    fms_strbuf_putn(out, fb, n);
    fms_strbuf_puts(out, ")");
}

static void render_heading(const fms_exset *set, const fms_grade *g, size_t i, fms_strbuf *out)
{
    fms_strbuf_printf(out, "\n%s", set->ex[g->items[i].key->exercise].id);
    if (g->weighted) {
        double got, max;
        char a[32], b[32];
        exercise_points(g, i, &got, &max);
        points_text(got, a);
        points_text(max, b);
        fms_strbuf_printf(out, "  (%s/%s point%s)", a, b, strcmp(b, "1") == 0 ? "" : "s");
    }
    fms_strbuf_puts(out, "\n");
}

static void render_score(const fms_grade *g, fms_strbuf *out)
{
    char a[32], b[32];
    points_text(g->score, a);
    points_text(g->max_score, b);
    fms_strbuf_printf(out, "\nscore: %s/%s points", a, b);
    if (g->weighted)
        fms_strbuf_printf(out, " (%zu of %zu answers correct)", g->ncorrect, g->n);
    fms_strbuf_puts(out, "\n");
}

static void render_text(const fms_exset *set, const fms_grade *g, fms_strbuf *out)
{
    if (set->title)
        fms_strbuf_printf(out, "Exercise set: %s, from %s\n", set->title, set->source);
    else
        fms_strbuf_printf(out, "Exercise set: %s\n", set->source);
    for (size_t i = 0; i < g->nnotes; i++)
        fms_strbuf_printf(out, "Note: %s\n", g->notes[i].text);
    for (size_t i = 0; i < g->n; i++) {
        const fms_grade_item *it = &g->items[i];
        if (i == 0 || it->key->exercise != g->items[i - 1].key->exercise)
            render_heading(set, g, i, out);
        fms_strbuf_printf(out, "  %-16s %-9s ", it->key->id, fms_grade_verdict_name(it->verdict));
        if (it->verdict == FMS_VERDICT_CORRECT) {
            put_short(out, it->got ? it->got : "", 60);
            correct_note(out, it->feedback);
        } else {
            fms_strbuf_puts(out, fms_grade_reason_name(it->reason));
            if (it->line > 0)
                fms_strbuf_printf(out, " (line %ld)", it->line);
            fms_strbuf_printf(out, ": %s", it->feedback);
        }
        fms_strbuf_puts(out, "\n");
    }
    if (g->nunknown > 0) {
        fms_strbuf_puts(out, "\nNot graded:\n");
        for (size_t i = 0; i < g->nunknown; i++) {
            fms_strbuf_printf(out, "  line %ld: '", g->unknown[i].line);
            put_short(out, g->unknown[i].id, 40);
            fms_strbuf_printf(out, "': %s\n", g->unknown[i].note);
        }
    }
    render_score(g, out);
}

/* Makes the JSON value of entry i of g (NULL when it cannot). */
typedef json_t *(*entry_fn)(const fms_exset *set, const fms_grade *g, size_t i);

/* An array of the values of entries 0..n−1; NULL when one cannot be made. */
static json_t *array_of(size_t n, entry_fn make, const fms_exset *set, const fms_grade *g)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        if (json_array_append_new(a, make(set, g, i)) != 0) {
            json_decref(a);
            a = NULL;
        }
    return a;
}

/* Points as JSON: an integer when whole, else a real rounded to 1e-6. */
static json_t *json_item(const fms_exset *set, const fms_grade *g, size_t i)
{
    const fms_grade_item *it = &g->items[i];
    return json_pack("{s:s?, s:s?, s:o, s:s?, s:s?, s:s?, s:s?, s:s?, s:o, s:o}", "id", it->key->id, "exercise",
                     set->ex[it->key->exercise].id, "line", it->line > 0 ? json_integer(it->line) : json_null(),
                     "verdict", fms_grade_verdict_name(it->verdict), "reason", fms_grade_reason_name(it->reason),
                     "expected", fms_grade_item_expected(it), "got", it->verdict == FMS_VERDICT_MISSING ? NULL : it->got,
                     "feedback", it->feedback, "points", fms_json_points(it->points), "max_points",
                     fms_json_points(it->max_points));
}

static json_t *json_note(const fms_exset *set, const fms_grade *g, size_t i)
{
    (void)set;
    const fms_grade_note *n = &g->notes[i];
    return json_pack("{s:o, s:s, s:s?}", "line", n->line > 0 ? json_integer(n->line) : json_null(), "reason",
                     fms_grade_reason_name(n->reason), "note", n->text);
}

static json_t *json_unknown(const fms_exset *set, const fms_grade *g, size_t i)
{
    (void)set;
    const fms_grade_unknown *u = &g->unknown[i];
    return json_pack("{s:I, s:s?, s:s?}", "line", (json_int_t)u->line, "id", u->id, "note", u->note);
}

/* The report with "items" empty: fms_report_render streams them in. */
static json_t *json_report(const fms_exset *set, const fms_grade *g)
{
    char score[64];
    snprintf(score, sizeof score, "%zu/%zu", g->ncorrect, g->n);
    return json_pack("{s:s?, s:I, s:I, s:s, s:o, s:o, s:o, s:o, s:o}", "exercises",
                     set->title ? set->title : set->source, "total", (json_int_t)g->n, "correct",
                     (json_int_t)g->ncorrect, "score", score, "points", fms_json_points(g->score), "max_points",
                     fms_json_points(g->max_score), "items", json_array(), "unknown",
                     array_of(g->nunknown, json_unknown, set, g), "notes", array_of(g->nnotes, json_note, set, g));
}

typedef struct report_ctx {
    const fms_exset *set;
    const fms_grade *g;
} report_ctx;

static json_t *streamed_item(size_t i, void *ctx)
{
    const report_ctx *c = ctx;
    return json_item(c->set, c->g, i);
}

fms_status fms_report_render(const fms_exset *set, const fms_grade *g, fms_report_format fmt, fms_strbuf *out,
                             fms_error *err)
{
    if (fmt == FMS_REPORT_TEXT) {
        render_text(set, g, out);
        return fms_strbuf_status(out) == FMS_OK ? FMS_OK : fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    }
    if (fmt == FMS_REPORT_GRADESCOPE)   /* one writer of results.json: the answers only after publication */
        return fms_gradescope_results(set, g, NULL, out, err);
    report_ctx ctx = { set, g };
    return fms_json_append_streamed(out, json_report(set, g), "items", g->n, streamed_item, &ctx, err);
}
