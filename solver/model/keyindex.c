/* keyindex.c — see keyindex.h. */
#include "model/keyindex.h"

fms_status fms_keyindex_build(fms_key *key, fms_error *err)
{
    const char *base = key->n ? key->items[0].id : NULL;
    fms_status st = fms_index_build(&key->by_id, base, sizeof *key->items, key->n, 0, err);
    if (st == FMS_OK)
        st = fms_index_build(&key->by_id_fold, base, sizeof *key->items, key->n, 1, err);
    if (st != FMS_OK)
        fms_keyindex_free(key);
    return st;
}

void fms_keyindex_free(fms_key *key)
{
    fms_index_free(&key->by_id);
    fms_index_free(&key->by_id_fold);
}

long fms_keyindex_find(const fms_key *key, const char *id)
{
    return fms_index_find(&key->by_id, id);
}

long fms_keyindex_find_nocase(const fms_key *key, const char *id)
{
    long i = fms_index_find(&key->by_id, id);
    return i >= 0 ? i : fms_index_find(&key->by_id_fold, id);
}

/* 1 when item it comes before part (ex, part) in the key's order. */
static int before(const fms_key_item *it, size_t ex, int part)
{
    return it->exercise < ex || (it->exercise == ex && it->part < part);
}

/* The first item at or after part (ex, part). */
static size_t lower_bound(const fms_key *key, size_t ex, int part)
{
    size_t lo = 0, hi = key->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (before(&key->items[mid], ex, part))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void fms_keyindex_part(const fms_key *key, size_t ex, int part, size_t *begin, size_t *end)
{
    *begin = lower_bound(key, ex, part);
    *end = *begin;
    while (*end < key->n && key->items[*end].exercise == ex && key->items[*end].part == part)
        ++*end;
}
