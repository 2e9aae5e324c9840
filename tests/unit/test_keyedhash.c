/* test_keyedhash.c — HMAC-SHA-256 and the per-student seeds (keyedhash.h).
 * Expected values: RFC 4231 and Python's hmac module (independent of nettle). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fmsolve.h"
#include "testutil.h"

static void hex(const unsigned char *b, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", b[i]);
}

static void check_mac(const unsigned char *key, size_t keylen, const char *msg, const char *want)
{
    unsigned char mac[FMS_KEYEDHASH_SIZE];
    char got[2 * FMS_KEYEDHASH_SIZE + 1];
    fms_keyedhash_hmac(key, keylen, msg, strlen(msg), mac);
    hex(mac, sizeof mac, got);
    ck_assert_str_eq(got, want);
}

START_TEST(rfc4231_vectors)
{
    unsigned char k1[20], k6[131];
    memset(k1, 0x0b, sizeof k1);
    memset(k6, 0xaa, sizeof k6);
    check_mac(k1, sizeof k1, "Hi There", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    check_mac((const unsigned char *)"Jefe", 4, "what do ya want for nothing?",
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    check_mac(k6, sizeof k6, "Test Using Larger Than Block-Size Key - Hash Key First",
              "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}
END_TEST

START_TEST(seed_is_the_first_eight_bytes_big_endian)
{
    fms_secret s = { .len = 4 };
    memcpy(s.bytes, "Jefe", 4);
    ck_assert_uint_eq(fms_keyedhash_seed(&s, "what do ya want for nothing?"), 0x5bdcc146bf60754eULL);
    fms_secret c = { .len = 13 };
    memcpy(c.bytes, "course-secret", 13);
    ck_assert_uint_eq(fms_keyedhash_seed(&c, "ada"), 11612115178076566094ULL);
    ck_assert_uint_eq(fms_keyedhash_seed(&c, "Zo\xC3\xAB"), 16181950531575582778ULL); /* UTF-8 bytes */
    c.bytes[0] ^= 1; /* another secret, another seed */
    ck_assert_uint_ne(fms_keyedhash_seed(&c, "ada"), 11612115178076566094ULL);
}
END_TEST

/* Writes text to a temporary file and reads it as a secret. */
static fms_status read_secret(const char *text, size_t len, fms_secret *s, fms_error *err)
{
    char path[] = "/tmp/fms_secret_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
    close(fd);
    fms_error_clear(err);
    fms_status st = fms_keyedhash_read_secret(path, s, err);
    unlink(path);
    return st;
}

START_TEST(secret_files)
{
    fms_secret s;
    fms_error err;
    ck_assert_int_eq(read_secret("k3y\n", 4, &s, &err), FMS_OK);
    ck_assert_uint_eq(s.len, 3);
    ck_assert_int_eq(memcmp(s.bytes, "k3y", 3), 0);
    ck_assert_int_eq(read_secret("k3y\r\n", 5, &s, &err), FMS_OK);
    ck_assert_uint_eq(s.len, 3);
    ck_assert_int_eq(read_secret("a\0b", 3, &s, &err), FMS_OK); /* any bytes */
    ck_assert_uint_eq(s.len, 3);
    fms_keyedhash_clear(&s);
    ck_assert_uint_eq(s.len, 0);
    ck_assert_int_eq(s.bytes[0], 0);
    ck_assert_int_eq(read_secret("", 0, &s, &err), FMS_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "empty"));
    ck_assert_int_eq(read_secret("\n", 1, &s, &err), FMS_EINVAL);
    char *big = malloc(FMS_SECRET_MAX + 1);
    memset(big, 'x', FMS_SECRET_MAX + 1);
    ck_assert_int_eq(read_secret(big, FMS_SECRET_MAX, &s, &err), FMS_OK);
    ck_assert_int_eq(read_secret(big, FMS_SECRET_MAX + 1, &s, &err), FMS_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "longer"));
    free(big);
    fms_error_clear(&err);
    ck_assert_int_eq(fms_keyedhash_read_secret("/nonexistent/secret", &s, &err), FMS_EIO);
    ck_assert_str_eq(err.file, "/nonexistent/secret");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("keyedhash");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, rfc4231_vectors);
    tcase_add_test(tc, seed_is_the_first_eight_bytes_big_endian);
    tcase_add_test(tc, secret_files);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}
