/* keyindex.h — finding the items of an answer key without scanning it: by
 * id through hash indexes (base/index.h), exactly or ignoring ASCII case,
 * and by exercise part through a binary search, since fms_key_build writes
 * the items in exercise order and, within an exercise, in part order.
 *
 * fms_key_build calls fms_keyindex_build once the items are written and
 * fms_key_free calls fms_keyindex_free; a key's items must not change after.
 * The lookups cost constant expected time (by id) or log n (by part), so
 * grading a sheet and rendering every exercise stay linear in their size.
 */
#ifndef FMS_KEYINDEX_H
#define FMS_KEYINDEX_H

#include <stddef.h>

#include "model/key.h"
#include "base/status.h"

/* Builds key->by_id and key->by_id_fold over the items.  Errors:
 * FMS_ENOMEM (with a message in err, which may be NULL). */
fms_status fms_keyindex_build(fms_key *key, fms_error *err);

/* Releases the indexes; cannot fail. */
void fms_keyindex_free(fms_key *key);

/* The number of the item whose id is id, or -1. */
long fms_keyindex_find(const fms_key *key, const char *id);

/* The item whose id is id if there is one, else the first item whose id
 * equals id ignoring ASCII case, or -1. */
long fms_keyindex_find_nocase(const fms_key *key, const char *id);

/* The items of part `part` of exercise ex (part −1: the items that belong
 * to the whole exercise) are items [*begin, *end); an empty range when
 * there are none.  Cannot fail. */
void fms_keyindex_part(const fms_key *key, size_t ex, int part, size_t *begin, size_t *end);

#endif /* FMS_KEYINDEX_H */
