/* keyedhash.c — see keyedhash.h. */
#include "base/keyedhash.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <nettle/hmac.h>

/* Zeroes n bytes at p in a way the compiler may not drop as a dead store. */
static void wipe(void *p, size_t n)
{
    volatile unsigned char *v = p;
    for (size_t i = 0; i < n; i++)
        v[i] = 0;
}

void fms_keyedhash_clear(fms_secret *s)
{
    wipe(s->bytes, sizeof s->bytes);
    s->len = 0;
}

fms_status fms_keyedhash_read_secret(const char *path, fms_secret *out, fms_error *err)
{
    /* Room for the longest key, its line end and one byte more (to tell "too long"). */
    unsigned char buf[FMS_SECRET_MAX + 3];
    out->len = 0;
    fms_error_set_file(err, path);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return fms_error_set(err, FMS_EIO, 0, "cannot open the secret file: %s", strerror(errno));
    size_t n = fread(buf, 1, sizeof buf, f);
    int bad = ferror(f);
    fclose(f);
    if (n > 0 && buf[n - 1] == '\n') {
        n--;
        if (n > 0 && buf[n - 1] == '\r')
            n--;
    }
    fms_status st = FMS_OK;
    if (bad)
        st = fms_error_set(err, FMS_EIO, 0, "cannot read the secret file (is it a folder?)");
    else if (n > FMS_SECRET_MAX)
        st = fms_error_set(err, FMS_EINVAL, 0, "the secret file is longer than %d bytes; a secret is a short key "
                                               "(e.g. head -c 32 /dev/urandom | base64 > FILE)", FMS_SECRET_MAX);
    else if (n == 0)
        st = fms_error_set(err, FMS_EINVAL, 0, "the secret file is empty; put a long random key in it "
                                               "(e.g. head -c 32 /dev/urandom | base64 > FILE)");
    if (st == FMS_OK) {
        memcpy(out->bytes, buf, n);
        out->len = n;
    }
    wipe(buf, sizeof buf);
    return st;
}

void fms_keyedhash_hmac(const unsigned char *key, size_t keylen, const void *msg, size_t msglen,
                        unsigned char out[FMS_KEYEDHASH_SIZE])
{
    struct hmac_sha256_ctx ctx;
    hmac_sha256_set_key(&ctx, keylen, key);
    hmac_sha256_update(&ctx, msglen, msg);
    hmac_sha256_digest(&ctx, FMS_KEYEDHASH_SIZE, out);
    /* The context holds the key's pads: leave nothing of it on the stack. */
    wipe(&ctx, sizeof ctx);
}

uint64_t fms_keyedhash_seed(const fms_secret *s, const char *id)
{
    unsigned char mac[FMS_KEYEDHASH_SIZE];
    fms_keyedhash_hmac(s->bytes, s->len, id, strlen(id), mac);
    uint64_t seed = 0;
    for (int i = 0; i < 8; i++)
        seed = (seed << 8) | mac[i];
    return seed;
}
