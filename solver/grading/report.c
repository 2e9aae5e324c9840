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
            fms_strbuf_printf(out, "%s", it->reason);
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

static int set_str(json_t *o, const char *k, const char *v)
{
    return json_object_set_new(o, k, v ? json_string(v) : json_null());
}

static json_t *json_report(const fms_exset *set, const fms_grade *g)
{
    json_t *root = json_object(), *items = json_array(), *unknown = json_array();
    if (!root || !items || !unknown) {
        json_decref(root);
        json_decref(items);
        json_decref(unknown);
        return NULL;
    }
    int bad = 0;
    char score[64];
    snprintf(score, sizeof score, "%zu/%zu", g->ncorrect, g->n);
    bad |= set_str(root, "exercises", set->title ? set->title : set->source);
    bad |= json_object_set_new(root, "total", json_integer((json_int_t)g->n));
    bad |= json_object_set_new(root, "correct", json_integer((json_int_t)g->ncorrect));
    bad |= set_str(root, "score", score);
    for (size_t i = 0; i < g->n; i++) {
        const fms_grade_item *it = &g->items[i];
        json_t *o = json_object();
        if (!o)
            return json_decref(root), json_decref(items), json_decref(unknown), NULL;
        bad |= set_str(o, "id", it->key->id);
        bad |= set_str(o, "exercise", set->ex[it->key->exercise].id);
        bad |= json_object_set_new(o, "line", it->line > 0 ? json_integer(it->line) : json_null());
        bad |= set_str(o, "verdict", fms_grade_verdict_name(it->verdict));
        bad |= set_str(o, "reason", it->reason);
        bad |= set_str(o, "expected", it->expected);
        bad |= set_str(o, "got", it->verdict == FMS_VERDICT_MISSING ? NULL : it->got);
        bad |= set_str(o, "feedback", it->feedback);
        bad |= json_array_append_new(items, o);
    }
    for (size_t i = 0; i < g->nunknown; i++) {
        json_t *o = json_object();
        if (!o)
            return json_decref(root), json_decref(items), json_decref(unknown), NULL;
        bad |= json_object_set_new(o, "line", json_integer(g->unknown[i].line));
        bad |= set_str(o, "id", g->unknown[i].id);
        bad |= set_str(o, "note", g->unknown[i].note);
        bad |= json_array_append_new(unknown, o);
    }
    bad |= json_object_set_new(root, "items", items);
    bad |= json_object_set_new(root, "unknown", unknown);
    if (bad) {
        json_decref(root);
        return NULL;
    }
    return root;
}

static json_t *gradescope_report(const fms_exset *set, const fms_grade *g)
{
    json_t *root = json_object(), *tests = json_array();
    if (!root || !tests) {
        json_decref(root);
        json_decref(tests);
        return NULL;
    }
    int bad = 0;
    char summary[512];
    snprintf(summary, sizeof summary, "%zu of %zu answers correct (%s).%s", g->ncorrect, g->n,
             set->title ? set->title : set->source,
             g->nunknown ? " Some lines of the sheet answer no question: see the last test." : "");
    bad |= json_object_set_new(root, "score", json_integer((json_int_t)g->ncorrect));
    bad |= json_object_set_new(root, "max_score", json_integer((json_int_t)g->n));
    bad |= set_str(root, "output", summary);
    for (size_t i = 0; i < g->n; i++) {
        const fms_grade_item *it = &g->items[i];
        json_t *o = json_object();
        if (!o) {
            json_decref(root);
            json_decref(tests);
            return NULL;
        }
        int ok = it->verdict == FMS_VERDICT_CORRECT;
        fms_strbuf msg = { 0 };
        if (it->verdict == FMS_VERDICT_MISSING)
            fms_strbuf_printf(&msg, "missing: %s", it->feedback);
        else if (ok)
            fms_strbuf_printf(&msg, "You wrote: %s\n%s", it->got, it->feedback);
        else
            fms_strbuf_printf(&msg, "%s (%s). You wrote: %s\n%s", fms_grade_verdict_name(it->verdict), it->reason,
                              it->got, it->feedback);
        bad |= set_str(o, "name", it->key->id);
        bad |= json_object_set_new(o, "score", json_integer(ok));
        bad |= json_object_set_new(o, "max_score", json_integer(1));
        bad |= set_str(o, "status", ok ? "passed" : "failed");
        bad |= set_str(o, "output", fms_strbuf_str(&msg));
        bad |= fms_strbuf_status(&msg) != FMS_OK;
        fms_strbuf_free(&msg);
        bad |= json_array_append_new(tests, o);
    }
    if (g->nunknown > 0) {
        /* Worth nothing, but shown to the student: a mistyped id is lost points. */
        fms_strbuf msg = { 0 };
        for (size_t i = 0; i < g->nunknown; i++)
            fms_strbuf_printf(&msg, "line %ld: '%s': %s\n", g->unknown[i].line, g->unknown[i].id, g->unknown[i].note);
        json_t *o = json_object();
        if (o) {
            bad |= set_str(o, "name", "lines not graded");
            bad |= json_object_set_new(o, "score", json_integer(0));
            bad |= json_object_set_new(o, "max_score", json_integer(0));
            bad |= set_str(o, "output", fms_strbuf_str(&msg));
            bad |= json_array_append_new(tests, o);
        } else
            bad = 1;
        bad |= fms_strbuf_status(&msg) != FMS_OK;
        fms_strbuf_free(&msg);
    }
    bad |= json_object_set_new(root, "tests", tests);
    if (bad) {
        json_decref(root);
        return NULL;
    }
    return root;
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
