/* render_json.c — a worked answer as JSON (see render_doc.h; the schema is
 * docs/answers-json.md): per part its id, kind, question, steps (the text
 * form of every block), claims (each printed qualitative sentence with its
 * predicate and inputs) and answers (the key's items). */
#include "answers/render_doc.h"

#include <math.h>
#include <string.h>

#include "model/keyindex.h"
#include "base/json.h"

json_t *fms_render_json_num(double x)
{
    if (x == 0.0)
        return json_integer(0);
    if (x == floor(x) && fabs(x) < 9007199254740992.0)
        return json_integer((json_int_t)x);
    return fms_json_num(x);
}

static json_t *text_of(const fms_block *b)
{
    fms_strbuf s = { 0 };
    fms_render_runs_text(b, &s);
    json_t *j = json_string(fms_strbuf_str(&s));
    fms_strbuf_free(&s);
    return j;
}

static json_t *claim_json(const fms_claim *c, const fms_block *b)
{
    json_t *o = json_object(), *in = json_object();
    json_object_set_new(o, "predicate", json_string(c->predicate));
    for (size_t i = 0; i < c->n; i++)
        json_object_set_new(in, c->in[i].name,
                            c->in[i].label ? json_string(c->in[i].label) : fms_render_json_num(c->in[i].value));
    json_object_set_new(o, "inputs", in);
    json_object_set_new(o, "text", text_of(b));
    return o;
}

static json_t *answers_json(const fms_key *key, size_t ex, int part)
{
    json_t *arr = json_array();
    size_t begin = 0, end = 0;
    if (key)
        fms_keyindex_part(key, ex, part, &begin, &end);
    for (size_t i = begin; i < end; i++) {
        const fms_key_item *it = &key->items[i];
        json_t *o = json_object();
        char v[FMS_KEY_VALUE_MAX];
        fms_key_item_value(it, v);
        json_object_set_new(o, "id", json_string(it->id));
        if (it->kind == FMS_ITEM_FORMULA) {
            json_object_set_new(o, "value", json_string(it->formula));
            json_object_set_new(o, "vars", json_string(it->vars));
        } else {
            json_object_set_new(o, "value", fms_render_json_num(it->value));
            if (it->kind == FMS_ITEM_SHARE)
                json_object_set_new(o, "log_value", fms_render_json_num(it->log_value));
        }
        json_object_set_new(o, "key", json_string(v));
        json_array_append_new(arr, o);
    }
    return arr;
}

static json_t *part_json(const fms_doc *d, const fms_doc_part *p, const fms_key *key)
{
    json_t *o = json_object(), *steps = json_array(), *claims = json_array();
    json_object_set_new(o, "id", json_string(p->id));
    json_object_set_new(o, "kind", json_string(p->kind));
    json_t *question = NULL;
    for (const fms_block *b = p->first; b; b = b->next) {
        if (b->kind == FMS_BLOCK_QUESTION) {
            question = text_of(b);
            continue;
        }
        fms_strbuf s = { 0 };
        if (b->level)
            fms_strbuf_puts(&s, "  ");
        fms_render_runs_text(b, &s);
        json_array_append_new(steps, json_string(fms_strbuf_str(&s)));
        fms_strbuf_free(&s);
        for (size_t i = 0; i < b->nclaims; i++)
            json_array_append_new(claims, claim_json(&b->claims[i], b));
    }
    if (question == NULL)
        question = json_string(d->text ? d->text : d->heading ? d->heading : "");
    json_object_set_new(o, "question", question);
    json_object_set_new(o, "steps", steps);
    json_object_set_new(o, "claims", claims);
    json_object_set_new(o, "answers", answers_json(key, d->ex, p->key_part));
    return o;
}

json_t *fms_render_doc_json(const fms_doc *d, const fms_exset *set, const fms_key *key)
{
    const fms_exercise *x = &set->ex[d->ex];
    json_t *o = json_object(), *parts = json_array();
    json_object_set_new(o, "id", json_string(x->id));
    json_object_set_new(o, "kind", json_string(d->kind));
    if (x->text)
        json_object_set_new(o, "text", json_string(x->text));
    if (x->kind == FMS_EX_POINT) {
        json_object_set_new(o, "t", fms_render_json_num(x->t));
        json_object_set_new(o, "x_t", fms_render_json_num(x->x_t));
    }
    if (x->kind == FMS_EX_COMPARE) {
        json_t *ids = json_array();
        json_array_append_new(ids, json_string(set->ex[x->compare[0]].id));
        json_array_append_new(ids, json_string(set->ex[x->compare[1]].id));
        json_object_set_new(o, "compare", ids);
    }
    for (const fms_doc_part *p = d->first; p; p = p->next)
        json_array_append_new(parts, part_json(d, p, key));
    json_object_set_new(o, "parts", parts);
    return o;
}
