/* index.c — see index.h. */
#include "base/index.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

/* ---- the hash ---------------------------------------------------------- */

static uint64_t sip_key[2];

/* The key, once per process before main (as status.c's GSL switch). */
#if defined(__GNUC__)
__attribute__((constructor))
#else
#error "fmsolve needs GCC or clang: base/index.c draws its hash key in a constructor"
#endif
static void sip_key_init(void)
{
    if (getrandom(sip_key, sizeof sip_key, GRND_NONBLOCK) != (ssize_t)sizeof sip_key) {
        /* No entropy yet (early boot): the clock and an address still vary per run. */
        struct timespec t;
        clock_gettime(CLOCK_REALTIME, &t);
        sip_key[0] = (uint64_t)t.tv_nsec * 0x9e3779b97f4a7c15ULL ^ (uint64_t)t.tv_sec;
        sip_key[1] = (uint64_t)(uintptr_t)&t ^ 0x94d049bb133111ebULL;
    }
}

static inline uint64_t rotl(uint64_t x, int b)
{
    return (x << b) | (x >> (64 - b));
}

#define SIPROUND                                                                         \
    do {                                                                                 \
        v0 += v1, v1 = rotl(v1, 13), v1 ^= v0, v0 = rotl(v0, 32);                        \
        v2 += v3, v3 = rotl(v3, 16), v3 ^= v2;                                           \
        v0 += v3, v3 = rotl(v3, 21), v3 ^= v0;                                           \
        v2 += v1, v1 = rotl(v1, 17), v1 ^= v2, v2 = rotl(v2, 32);                        \
    } while (0)

static inline unsigned char fold_byte(unsigned char c, int fold)
{
    return fold && c >= 'A' && c <= 'Z' ? (unsigned char)(c + ('a' - 'A')) : c;
}

/* The low 32 bits of SipHash-1-3 of s (ASCII letters lowered when fold). */
static uint32_t hash(const char *s, int fold)
{
    const unsigned char *p = (const unsigned char *)s;
    const size_t len = strlen(s);
    uint64_t v0 = 0x736f6d6570736575ULL ^ sip_key[0], v1 = 0x646f72616e646f6dULL ^ sip_key[1];
    uint64_t v2 = 0x6c7967656e657261ULL ^ sip_key[0], v3 = 0x7465646279746573ULL ^ sip_key[1];
    uint64_t m = 0;
    size_t i = 0;
    for (; i < len; i++) {
        m |= (uint64_t)fold_byte(p[i], fold) << (8 * (i & 7));
        if ((i & 7) == 7) {
            v3 ^= m;
            SIPROUND;
            v0 ^= m;
            m = 0;
        }
    }
    m |= (uint64_t)len << 56;
    v3 ^= m;
    SIPROUND;
    v0 ^= m;
    v2 ^= 0xff;
    SIPROUND;
    SIPROUND;
    SIPROUND;
    return (uint32_t)(v0 ^ v1 ^ v2 ^ v3);
}

/* ---- the table --------------------------------------------------------- */

static _Thread_local unsigned long long probes;

unsigned long long fms_index_probes(void)
{
    return probes;
}

static const char *entry(const fms_index *ix, size_t i)
{
    return ix->base + i * ix->stride;
}

/* 1 when a and b are equal ignoring ASCII case. */
static int equal_fold(const char *a, const char *b)
{
    for (;; a++, b++) {
        if (fold_byte((unsigned char)*a, 1) != fold_byte((unsigned char)*b, 1))
            return 0;
        if (*a == '\0')
            return 1;
    }
}

void fms_index_init(fms_index *ix, const char *base, size_t stride, int fold)
{
    *ix = (fms_index){ .base = base, .stride = stride, .fold = fold };
}

void fms_index_free(fms_index *ix)
{
    free(ix->slot);
    ix->slot = NULL;
    ix->n = ix->cap = 0;
}

void fms_index_rebase(fms_index *ix, const char *base)
{
    ix->base = base;
}

/* Puts entry i, of hash h, into the first free slot of its probe sequence. */
static void place(fms_index_slot *slot, size_t cap, size_t i, uint32_t h)
{
    size_t at = (size_t)h & (cap - 1);
    while (slot[at].entry != 0) {
        probes++;
        at = (at + 1) & (cap - 1);
    }
    probes++;
    slot[at] = (fms_index_slot){ (uint32_t)(i + 1), h };
}

/* Makes the table hold at least `want` slots (a power of two), keeping its entries. */
static fms_status reserve(fms_index *ix, size_t want)
{
    if (want <= ix->cap)
        return FMS_OK;
    size_t cap = ix->cap ? ix->cap : 16;
    while (cap < want) {
        if (cap >= ((size_t)1 << 31))
            return FMS_ENOMEM;
        cap *= 2;
    }
    fms_index_slot *slot = calloc(cap, sizeof *slot);
    if (slot == NULL)
        return FMS_ENOMEM;
    for (size_t s = 0; s < ix->cap; s++)
        if (ix->slot[s].entry != 0)
            place(slot, cap, ix->slot[s].entry - 1, ix->slot[s].hash);
    free(ix->slot);
    ix->slot = slot;
    ix->cap = cap;
    return FMS_OK;
}

/* 1 when entry i's string equals s, in the index's sense of equal. */
static int same(const fms_index *ix, size_t i, const char *s)
{
    return ix->fold ? equal_fold(entry(ix, i), s) : strcmp(entry(ix, i), s) == 0;
}

/* The entry equal to s, of hash h, or -1, after walking its probe sequence. */
static long lookup(const fms_index *ix, const char *s, uint32_t h)
{
    if (ix->cap == 0)
        return -1;
    for (size_t at = (size_t)h & (ix->cap - 1);; at = (at + 1) & (ix->cap - 1)) {
        probes++;
        const fms_index_slot *sl = &ix->slot[at];
        if (sl->entry == 0)
            return -1;
        if (sl->hash == h && same(ix, sl->entry - 1, s))
            return (long)(sl->entry - 1);
    }
}

/* Entry i, of hash h, into a table with room for it: one walk, where an
 * equal entry ends it (*dup) and else the empty slot it reaches takes i. */
static void insert(fms_index *ix, size_t i, uint32_t h, long *dup)
{
    const char *s = entry(ix, i);
    size_t at = (size_t)h & (ix->cap - 1);
    for (; ix->slot[at].entry != 0; at = (at + 1) & (ix->cap - 1)) {
        probes++;
        const fms_index_slot *sl = &ix->slot[at];
        if (sl->hash == h && same(ix, sl->entry - 1, s)) {
            if (dup)
                *dup = (long)(sl->entry - 1);
            return;
        }
    }
    probes++;
    ix->slot[at] = (fms_index_slot){ (uint32_t)(i + 1), h };
    ix->n++;
}

fms_status fms_index_add(fms_index *ix, size_t i, long *dup)
{
    if (dup)
        *dup = -1;
    if (i >= ((size_t)1 << 30))
        return FMS_ENOMEM;
    if (ix->n + 1 > ix->cap / 2 && reserve(ix, 2 * (ix->n + 1)) != FMS_OK)
        return FMS_ENOMEM;
    insert(ix, i, hash(entry(ix, i), ix->fold), dup);
    return FMS_OK;
}

/* How far ahead fms_index_build hashes and prefetches: a table of 10^5
 * entries and more lies outside the caches, and each insertion would
 * otherwise wait for memory. */
#define AHEAD 16

fms_status fms_index_build(fms_index *ix, const char *base, size_t stride, size_t n, int fold, fms_error *err)
{
    fms_index_init(ix, base, stride, fold);
    fms_status st = n > ((size_t)1 << 30) ? FMS_ENOMEM : reserve(ix, 2 * n);
    uint32_t ring[AHEAD];
    /* Entry i's string is fetched AHEAD entries early, and its hash waits in
     * ring[i % AHEAD] while its slot is fetched. */
    for (size_t i = 0; st == FMS_OK && i < n + AHEAD; i++) {
        if (i >= AHEAD)
            insert(ix, i - AHEAD, ring[i % AHEAD], NULL);
        if (i + AHEAD < n)
            __builtin_prefetch(entry(ix, i + AHEAD), 0);
        if (i < n) {
            ring[i % AHEAD] = hash(entry(ix, i), fold);
            __builtin_prefetch(&ix->slot[(size_t)ring[i % AHEAD] & (ix->cap - 1)], 1);
        }
    }
    if (st != FMS_OK) {
        fms_index_free(ix);
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory for an index of %zu names", n);
    }
    return FMS_OK;
}

long fms_index_find(const fms_index *ix, const char *s)
{
    return ix->cap ? lookup(ix, s, hash(s, ix->fold)) : -1;
}
