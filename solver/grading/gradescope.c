/* gradescope.c — see gradescope.h. */
#include "grading/gradescope.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"

/* A test object; msg is released.  NULL when memory runs out. */
static json_t *test(const char *name, double score, double max_score, const char *status, fms_strbuf *msg,
                    const char *visibility)
{
    json_t *o = NULL;
    if (fms_strbuf_status(msg) == FMS_OK)
        o = json_pack("{s:s, s:o, s:o}", "name", name, "score", fms_json_points(score), "max_score", fms_json_points(max_score));
    if (o && status && json_object_set_new(o, "status", json_string(status)) != 0)
        o = (json_decref(o), NULL);
    if (o && (json_object_set_new(o, "output", json_string(fms_strbuf_str(msg))) != 0 ||
              json_object_set_new(o, "visibility", json_string(visibility)) != 0))
        o = (json_decref(o), NULL);
    fms_strbuf_free(msg);
    return o;
}

/* What the student sees at once: right or wrong and why, never the answer. */
static json_t *verdict_test(const fms_grade_item *it)
{
    int ok = it->verdict == FMS_VERDICT_CORRECT;
    fms_strbuf msg = { 0 };
    if (it->verdict == FMS_VERDICT_MISSING) {
        fms_strbuf_printf(&msg, "Missing: no line answers %s.", it->key->id);
    } else if (ok) {
        fms_strbuf_printf(&msg, "Correct. You wrote: %s", it->got ? it->got : "");
    } else {
        fms_strbuf_printf(&msg, "%s (%s", it->verdict == FMS_VERDICT_INVALID ? "Not graded" : "Incorrect",
                          fms_grade_reason_name(it->reason));
        if (it->line > 0)
            fms_strbuf_printf(&msg, ", line %ld", it->line);
        fms_strbuf_printf(&msg, "): %s. You wrote: %s", fms_grade_reason_meaning(it->reason), it->got ? it->got : "");
    }
    return test(it->key->id, it->points, it->max_points, ok ? "passed" : "failed", &msg, "visible");
}

/* What the student sees once the grades are published: the answer and the full feedback. */
static json_t *answer_test(const fms_grade_item *it)
{
    fms_strbuf name = { 0 }, msg = { 0 };
    fms_strbuf_printf(&name, "%s: the expected answer", it->key->id);
    fms_strbuf_printf(&msg, "Expected: %s\n%s", fms_grade_item_expected(it), it->feedback);
    json_t *o = fms_strbuf_status(&name) == FMS_OK
                    ? test(fms_strbuf_str(&name), 0, 0, NULL, &msg, "after_published")
                    : (fms_strbuf_free(&msg), NULL);
    fms_strbuf_free(&name);
    return o;
}

/* The lines that answer nothing: worth nothing, but a mistyped id is lost points. */
static json_t *unknown_test(const fms_grade *g)
{
    fms_strbuf msg = { 0 };
    for (size_t i = 0; i < g->nunknown; i++)
        fms_strbuf_printf(&msg, "line %ld: '%s': %s\n", g->unknown[i].line, g->unknown[i].id, g->unknown[i].note);
    return test("lines not graded", 0, 0, NULL, &msg, "visible");
}

/* The tests in order, made one at a time (fms_json_append_streamed): a
 * verdict per item, the answer of each item not correct, the lines not graded. */
typedef struct tests_ctx {
    const fms_grade *g;
    const size_t *wrong; /* the items not correct, in order */
    size_t nwrong;
} tests_ctx;

static json_t *make_test(size_t i, void *ctx)
{
    const tests_ctx *c = ctx;
    if (i < c->g->n)
        return verdict_test(&c->g->items[i]);
    i -= c->g->n;
    return i < c->nwrong ? answer_test(&c->g->items[c->wrong[i]]) : unknown_test(c->g);
}

/* The top-level object around tests (stolen). */
static json_t *results(double score, const char *output, json_t *tests)
{
    if (tests == NULL)
        return NULL;
    return json_pack("{s:o, s:s, s:s, s:s, s:o}", "score", fms_json_points(score), "output", output, "visibility", "visible",
                     "stdout_visibility", "hidden", "tests", tests);
}

fms_status fms_gradescope_results(const fms_exset *set, const fms_grade *g, const char *note, fms_strbuf *out,
                                  fms_error *err)
{
    size_t *wrong = malloc((g->n + 1) * sizeof *wrong);
    if (wrong == NULL)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    tests_ctx ctx = { g, wrong, 0 };
    for (size_t i = 0; i < g->n; i++)
        if (g->items[i].verdict != FMS_VERDICT_CORRECT)
            wrong[ctx.nwrong++] = i;
    fms_strbuf summary = { 0 };
    fms_strbuf_printf(&summary, "%zu of %zu answers correct, %.15g of %.15g points (%s).", g->ncorrect, g->n,
                      g->score, g->max_score, set->title ? set->title : set->source);
    if (g->ncorrect < g->n)
        fms_strbuf_puts(&summary, " Each answer says whether it is right and why; the expected answers are shown "
                                  "once the grades are published.");
    if (g->nunknown > 0)
        fms_strbuf_puts(&summary, " Some lines answer no question: see 'lines not graded'.");
    for (size_t i = 0; i < g->nnotes; i++)
        fms_strbuf_printf(&summary, " Note: %s", g->notes[i].text);
    if (note)
        fms_strbuf_printf(&summary, " %s", note);
    json_t *root = fms_strbuf_status(&summary) == FMS_OK ? results(g->score, fms_strbuf_str(&summary), json_array())
                                                         : NULL;
    fms_strbuf_free(&summary);
    fms_status st = fms_json_append_streamed(out, root, "tests", g->n + ctx.nwrong + (g->nunknown > 0), make_test,
                                             &ctx, err);
    free(wrong);
    return st;
}

fms_status fms_gradescope_failure(const char *message, fms_strbuf *out, fms_error *err)
{
    return fms_json_append(out, results(0.0, message, json_array()), err);
}

fms_status fms_gradescope_student(const char *path, const char *field, char *id, size_t cap, fms_error *err)
{
    fms_error_set_file(err, path);
    json_error_t je;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (root == NULL)
        return fms_error_set(err, FMS_EINVAL, je.line > 0 ? je.line : 0, "cannot read the submission metadata: %s",
                             je.text);
    json_t *user = json_array_get(json_object_get(root, "users"), 0);
    json_t *v = json_object_get(user, field);
    int n = -1;
    if (json_is_string(v))
        n = snprintf(id, cap, "%s", json_string_value(v));
    else if (json_is_integer(v))
        n = snprintf(id, cap, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    json_decref(root);
    if (user == NULL)
        return fms_error_set(err, FMS_EINVAL, 0, "the submission metadata lists no users");
    if (n < 0)
        return fms_error_set(err, FMS_EINVAL, 0, "the submission's user has no '%s' (text or number)", field);
    if ((size_t)n >= cap)
        return fms_error_set(err, FMS_EINVAL, 0, "the submission's '%s' is too long", field);
    return FMS_OK;
}
