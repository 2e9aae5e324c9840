/* report.c — see report.h. */
#include "grading/report.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
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

static void render_text(const fms_exset *set, const fms_grade *g, fms_strbuf *out)
{
    if (set->title)
        fms_strbuf_printf(out, "Exercise set: %s, from %s\n", set->title, set->source);
    else
        fms_strbuf_printf(out, "Exercise set: %s\n", set->source);
    size_t last = (size_t)-1;
    for (size_t i = 0; i < g->n; i++) {
        const fms_grade_item *it = &g->items[i];
        if (it->key->exercise != last) {
            last = it->key->exercise;
            fms_strbuf_printf(out, "\n%s\n", set->ex[last].id);
        }
        fms_strbuf_printf(out, "  %-16s %-9s ", it->key->id, fms_grade_verdict_name(it->verdict));
        if (it->verdict == FMS_VERDICT_CORRECT) {
            put_short(out, it->got ? it->got : "", 60);
            if (strncmp(it->feedback, "Correct: ", 9) == 0) {
                /* "Correct: read as 0.5." is shown as "(read as 0.5)". */
                size_t n = strlen(it->feedback + 9);
                if (n > 0 && it->feedback[9 + n - 1] == '.')
                    n--;
                fms_strbuf_puts(out, "  (");
                fms_strbuf_putn(out, it->feedback + 9, n);
                fms_strbuf_puts(out, ")");
            }
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
    fms_strbuf_printf(out, "\nscore: %zu/%zu\n", g->ncorrect, g->n);
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

static json_t *json_item(const fms_exset *set, const fms_grade *g, size_t i)
{
    const fms_grade_item *it = &g->items[i];
    return json_pack("{s:s?, s:s?, s:o, s:s?, s:s?, s:s?, s:s?, s:s?}", "id", it->key->id, "exercise",
                     set->ex[it->key->exercise].id, "line", it->line > 0 ? json_integer(it->line) : json_null(),
                     "verdict", fms_grade_verdict_name(it->verdict), "reason", fms_grade_reason_name(it->reason),
                     "expected", it->expected, "got", it->verdict == FMS_VERDICT_MISSING ? NULL : it->got,
                     "feedback", it->feedback);
}

static json_t *json_unknown(const fms_exset *set, const fms_grade *g, size_t i)
{
    (void)set;
    const fms_grade_unknown *u = &g->unknown[i];
    return json_pack("{s:I, s:s?, s:s?}", "line", (json_int_t)u->line, "id", u->id, "note", u->note);
}

static json_t *json_report(const fms_exset *set, const fms_grade *g)
{
    char score[64];
    snprintf(score, sizeof score, "%zu/%zu", g->ncorrect, g->n);
    return json_pack("{s:s?, s:I, s:I, s:s, s:o, s:o}", "exercises", set->title ? set->title : set->source, "total",
                     (json_int_t)g->n, "correct", (json_int_t)g->ncorrect, "score", score, "items",
                     array_of(g->n, json_item, set, g), "unknown", array_of(g->nunknown, json_unknown, set, g));
}

/* A Gradescope test whose output is msg (NULL when msg failed). */
static json_t *gradescope_test(const char *name, int score, int max_score, const char *status, fms_strbuf *msg)
{
    json_t *o = NULL;
    if (fms_strbuf_status(msg) == FMS_OK)
        o = status ? json_pack("{s:s?, s:i, s:i, s:s, s:s?}", "name", name, "score", score, "max_score", max_score,
                               "status", status, "output", fms_strbuf_str(msg))
                   : json_pack("{s:s?, s:i, s:i, s:s?}", "name", name, "score", score, "max_score", max_score,
                               "output", fms_strbuf_str(msg));
    fms_strbuf_free(msg);
    return o;
}

static json_t *gradescope_item(const fms_exset *set, const fms_grade *g, size_t i)
{
    (void)set;
    const fms_grade_item *it = &g->items[i];
    int ok = it->verdict == FMS_VERDICT_CORRECT;
    fms_strbuf msg = { 0 };
    if (it->verdict == FMS_VERDICT_MISSING)
        fms_strbuf_printf(&msg, "missing: %s", it->feedback);
    else if (ok)
        fms_strbuf_printf(&msg, "You wrote: %s\n%s", it->got, it->feedback);
    else
        fms_strbuf_printf(&msg, "%s (%s). You wrote: %s\n%s", fms_grade_verdict_name(it->verdict),
                          fms_grade_reason_name(it->reason), it->got, it->feedback);
    return gradescope_test(it->key->id, ok, 1, ok ? "passed" : "failed", &msg);
}

/* The lines that answer nothing: worth nothing, but shown to the student, as
 * a mistyped id is lost points. */
static json_t *gradescope_unknown(const fms_grade *g)
{
    fms_strbuf msg = { 0 };
    for (size_t i = 0; i < g->nunknown; i++)
        fms_strbuf_printf(&msg, "line %ld: '%s': %s\n", g->unknown[i].line, g->unknown[i].id, g->unknown[i].note);
    return gradescope_test("lines not graded", 0, 0, NULL, &msg);
}

static json_t *gradescope_report(const fms_exset *set, const fms_grade *g)
{
    char summary[512];
    snprintf(summary, sizeof summary, "%zu of %zu answers correct (%s).%s", g->ncorrect, g->n,
             set->title ? set->title : set->source,
             g->nunknown ? " Some lines of the sheet answer no question: see the last test." : "");
    json_t *tests = array_of(g->n, gradescope_item, set, g);
    if (tests && g->nunknown > 0 && json_array_append_new(tests, gradescope_unknown(g)) != 0) {
        json_decref(tests);
        tests = NULL;
    }
    return json_pack("{s:I, s:I, s:s, s:o}", "score", (json_int_t)g->ncorrect, "max_score", (json_int_t)g->n,
                     "output", summary, "tests", tests);
}

fms_status fms_report_render(const fms_exset *set, const fms_grade *g, fms_report_format fmt, fms_strbuf *out,
                             fms_error *err)
{
    if (fmt == FMS_REPORT_TEXT) {
        render_text(set, g, out);
        return fms_strbuf_status(out) == FMS_OK ? FMS_OK : fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    }
    json_t *root = fmt == FMS_REPORT_JSON ? json_report(set, g) : gradescope_report(set, g);
    return fms_json_append(out, root, err);
}
