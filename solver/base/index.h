/* index.h — a hash index over a table of strings: exercise ids, data
 * labels, the ids of the answer key.  It turns "which entry is called s?"
 * from a scan of the table into an expected constant number of probes, so
 * that loading, keying and grading stay linear in the size of the input.
 *
 * The table is not copied: string i is the NUL-terminated text at
 * base + i·stride (a char array inside an array of structs).  The index
 * holds entry numbers in an open-addressing table (linear probing, load at
 * most 1/2, power-of-two size).  When the table moves (realloc), the owner
 * calls fms_index_rebase.
 *
 * Hash: SipHash-1-3 (Aumasson and Bernstein 2012) under a 128-bit key drawn
 * once per process from getrandom(2), so that an input cannot be crafted to
 * collide (hash flooding); results never depend on the key's value, only
 * their cost.  An index made with fold = 1 compares and hashes strings
 * ignoring ASCII case: it keeps one entry (the first added) per string so
 * compared, so that a table of case variants cannot make a long chain.
 *
 * Counting: every slot a lookup or an insertion inspects adds one to a
 * per-thread counter, fms_index_probes(); tests read it as a measure of
 * work that does not depend on the machine's speed.
 *
 * Errors: only FMS_ENOMEM (growing the table, or past 2^30 entries).
 */
#ifndef FMS_INDEX_H
#define FMS_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "base/status.h"

/* A slot (8 bytes): entry + 1 (0 when empty) and the low 32 bits of the
 * entry's hash, kept so that growing and probing do not read the strings
 * again.  An index holds at most 2^30 entries. */
typedef struct fms_index_slot {
    uint32_t entry;
    uint32_t hash;
} fms_index_slot;

typedef struct fms_index {
    const char *base;  /* string i is at base + i·stride */
    size_t stride;
    size_t n;          /* entries added */
    size_t cap;        /* slots: 0, or a power of two ≥ 2·n */
    fms_index_slot *slot;
    int fold;          /* compared and hashed ignoring ASCII case */
} fms_index;

/* An empty index over the table at base (may be NULL until the first
 * entry); fold as above.  Cannot fail. */
void fms_index_init(fms_index *ix, const char *base, size_t stride, int fold);

/* Releases the slots; the index is then empty (base and stride are kept). */
void fms_index_free(fms_index *ix);

/* Tells the index that its table now starts at base (after a realloc). */
void fms_index_rebase(fms_index *ix, const char *base);

/* Adds entry i (its string must already be in the table).  When an entry
 * with an equal string is present (ignoring case in a fold index), nothing
 * is added and *dup receives its number; otherwise *dup = -1.  dup may be
 * NULL.  Errors: FMS_ENOMEM (the index is unchanged). */
fms_status fms_index_add(fms_index *ix, size_t i, long *dup);

/* An index over the n strings of a table, added in order (of equal strings
 * only the first is kept, so a lookup finds the first).  Errors: FMS_ENOMEM, with a message
 * in err (may be NULL); the index is then empty. */
fms_status fms_index_build(fms_index *ix, const char *base, size_t stride, size_t n, int fold,
                           fms_error *err);

/* The entry whose string equals s (ignoring ASCII case in a fold index:
 * the first added of those), or -1. */
long fms_index_find(const fms_index *ix, const char *s);

/* The slots inspected by this thread's lookups and insertions so far. */
unsigned long long fms_index_probes(void);

#endif /* FMS_INDEX_H */
