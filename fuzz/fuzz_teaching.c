/* fuzz_teaching.c — libFuzzer harness of the teaching parsers: the first
 * byte picks one, the rest is its input.
 *   0  an exercise template (variant.h): parsed, then drawn for two seeds,
 *      each drawn set keyed and written as handouts in Markdown and LaTeX
 *   1  a roster (roster.h), and every id looked up and matched as a file name
 *   2  a keep list (keep.h), evaluated on the built-in sheet's 1.3
 * Each input either is refused with an error or goes through; nothing may
 * crash, hang or read out of bounds. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fmsolve.h"

static void template(const char *s, size_t n)
{
    fms_variant *v = NULL;
    if (fms_variant_parse("fuzz", s, n, &v, NULL) != FMS_OK)
        return;
    for (uint64_t seed = 0; seed < 2; seed++) {
        fms_exset *set = NULL;
        fms_key *key = NULL;
        fms_strbuf out = { 0 };
        if (fms_variant_draw(v, seed, &out, &set, NULL) == FMS_OK && fms_key_build(set, &key, NULL) == FMS_OK) {
            fms_handout_render(set, key, FMS_HANDOUT_MARKDOWN, 0, "id", &out, NULL);
            fms_handout_render(set, key, FMS_HANDOUT_LATEX, 1, NULL, &out, NULL);
        }
        fms_strbuf_free(&out);
        fms_key_free(key);
        fms_exset_free(set);
    }
    fms_variant_free(v);
}

static void roster(const char *s, size_t n)
{
    fms_roster *r = NULL;
    if (fms_roster_parse("fuzz", s, n, NULL, &r, NULL) != FMS_OK)
        return;
    for (size_t i = 0; i < r->n; i++) {
        char name[FMS_ROSTER_ID_MAX + 16];
        const char *why;
        size_t len = strlen(r->entries[i].id);
        if (fms_roster_find(r, r->entries[i].id, len) != (long)i)
            abort();
        snprintf(name, sizeof name, "%s_x.txt", r->entries[i].id);
        fms_class_match(r, name, &why);
    }
    fms_roster_free(r);
}

static void keep(const char *s, size_t n)
{
    char *text = malloc(n + 1);
    if (text == NULL)
        return;
    memcpy(text, s, n);
    text[n] = '\0';
    fms_keep k;
    fms_exset *set = NULL;
    if (fms_keep_parse(text, &k, NULL) == FMS_OK && fms_exset_load_builtin(&set, NULL) == FMS_OK) {
        int holds;
        fms_keep_eval(&k, set->data, &set->ex[2], &holds, NULL, NULL);
    }
    fms_exset_free(set);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const char *s = (const char *)data + 1;
    switch (data[0] % 3) {
    case 0: template(s, size - 1); break;
    case 1: roster(s, size - 1); break;
    default: keep(s, size - 1); break;
    }
    return 0;
}
