/* test_utf8.c — the one definition of valid UTF-8 (utf8.h), checked byte by
 * byte against an independent decoder written from RFC 3629's definition. */
#include <string.h>

#include "fmsolve.h"
#include "testutil.h"

/* The reference: decode by the bit patterns, then refuse what RFC 3629
 * refuses (overlong forms, surrogates, code points above U+10FFFF). */
static size_t ref_len(const unsigned char *s, size_t n)
{
    static const unsigned long min_cp[] = { 0, 0, 0x80, 0x800, 0x10000 };
    if (n == 0)
        return 0;
    size_t len = s[0] < 0x80 ? 1 : (s[0] >> 5) == 0x6 ? 2 : (s[0] >> 4) == 0xE ? 3 : (s[0] >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || n < len)
        return 0;
    unsigned long cp = len == 1 ? s[0] : s[0] & (0x7Fu >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] >> 6) != 0x2)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    if (cp < min_cp[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

static size_t seq_len(const char *s)
{
    return fms_utf8_seq_len(s, strlen(s));
}

START_TEST(boundaries_of_each_length)
{
    ck_assert_uint_eq(seq_len("A"), 1);
    ck_assert_uint_eq(seq_len("\x7F"), 1);                 /* U+007F */
    ck_assert_uint_eq(seq_len("\xC2\x80"), 2);             /* U+0080 */
    ck_assert_uint_eq(seq_len("\xDF\xBF"), 2);             /* U+07FF */
    ck_assert_uint_eq(seq_len("\xE0\xA0\x80"), 3);         /* U+0800 */
    ck_assert_uint_eq(seq_len("\xED\x9F\xBF"), 3);         /* U+D7FF, the last before the surrogates */
    ck_assert_uint_eq(seq_len("\xEE\x80\x80"), 3);         /* U+E000, the first after them */
    ck_assert_uint_eq(seq_len("\xEF\xBF\xBF"), 3);         /* U+FFFF */
    ck_assert_uint_eq(seq_len("\xF0\x90\x80\x80"), 4);     /* U+10000 */
    ck_assert_uint_eq(seq_len("\xF4\x8F\xBF\xBF"), 4);     /* U+10FFFF */
    ck_assert_uint_eq(fms_utf8_seq_len("\0", 1), 1);       /* NUL is UTF-8; C strings refuse it themselves */
}
END_TEST

START_TEST(refuses_what_rfc3629_refuses)
{
    static const char *const bad[] = {
        "\x80", "\xBF",                          /* a continuation byte alone */
        "\xC0\x80", "\xC1\xBF",                  /* overlong two-byte forms */
        "\xE0\x80\x80", "\xE0\x9F\xBF",          /* overlong three-byte forms */
        "\xF0\x80\x80\x80", "\xF0\x8F\xBF\xBF",  /* overlong four-byte forms */
        "\xED\xA0\x80", "\xED\xBF\xBF",          /* the surrogates U+D800 and U+DFFF */
        "\xF4\x90\x80\x80", "\xF5\x80\x80\x80",  /* above U+10FFFF */
        "\xF8\x88\x80\x80\x80", "\xFE", "\xFF",  /* no such lead byte */
        "\xC3", "\xE2\x82", "\xF0\x9F\x98",      /* cut short */
        "\xC3\x41", "\xE2\x28\xA1", "\xF0\x9F\x98\x28", /* a later byte not a continuation */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_msg(seq_len(bad[i]) == 0, "case %zu accepted", i);
        ck_assert_msg(!fms_utf8_valid(bad[i], strlen(bad[i])), "case %zu valid", i);
    }
    ck_assert_uint_eq(fms_utf8_seq_len("A", 0), 0);
    ck_assert_uint_eq(fms_utf8_seq_len("\xE2\x82\xAC", 2), 0); /* never reads past n */
}
END_TEST

/* Bytes at the edges of the ranges RFC 3629 distinguishes. */
static const unsigned char edges[] = { 0x00, 0x7F, 0x80, 0x81, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF };

static void check_ref(const unsigned char *b, size_t n)
{
    size_t got = fms_utf8_seq_len((const char *)b, n), want = ref_len(b, n);
    if (got != want)
        ck_abort_msg("%02X %02X %02X %02X (n = %zu): %zu, expected %zu", b[0], b[1], b[2], b[3], n, got, want);
}

/* Every sequence of one or two bytes, every lead and second byte followed by
 * the edge bytes, agree with the reference. */
START_TEST(agrees_with_the_reference_decoder)
{
    unsigned char b[4] = { 0 };
    for (unsigned v = 0; v < 65536; v++) {
        b[0] = (unsigned char)(v >> 8);
        b[1] = (unsigned char)v;
        check_ref(b, 1);
        check_ref(b, 2);
        for (size_t i = 0; i < sizeof edges; i++) {
            b[2] = edges[i];
            check_ref(b, 3);
            for (size_t j = 0; j < sizeof edges; j++) {
                b[3] = edges[j];
                check_ref(b, 4);
            }
        }
    }
}
END_TEST

START_TEST(valid_and_count)
{
    const char *s = "x\xE2\x82\x9C = (1 \xE2\x88\x92 t)\xC2\xB7\xCE\xB5 \xF0\x9F\x98\x80";
    ck_assert(fms_utf8_valid(s, strlen(s)));
    ck_assert(fms_utf8_valid("", 0));
    ck_assert_uint_eq(fms_utf8_count(s, strlen(s)), 16);
    ck_assert_uint_eq(fms_utf8_count("", 0), 0);
    /* A valid string cut inside a character is not valid. */
    ck_assert(!fms_utf8_valid(s, 3));
    ck_assert(fms_utf8_valid(s, 4));
}
END_TEST

START_TEST(cut_at_a_boundary)
{
    const char *s = "a\xC3\xA9\xE2\x82\xAC"; /* a é € : bytes 1, 2, 3 */
    size_t n = strlen(s);
    ck_assert_uint_eq(fms_utf8_cut(s, n, 10), n);
    ck_assert_uint_eq(fms_utf8_cut(s, n, n), n);
    ck_assert_uint_eq(fms_utf8_cut(s, n, 5), 3);
    ck_assert_uint_eq(fms_utf8_cut(s, n, 4), 3);
    ck_assert_uint_eq(fms_utf8_cut(s, n, 3), 3);
    ck_assert_uint_eq(fms_utf8_cut(s, n, 2), 1);
    ck_assert_uint_eq(fms_utf8_cut(s, n, 1), 1);
    ck_assert_uint_eq(fms_utf8_cut(s, n, 0), 0);
    ck_assert_uint_eq(fms_utf8_cut("\xE2\x82\xAC", 3, 2), 0);
}
END_TEST

START_TEST(trim_tail_cuts_only_a_broken_tail)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        { "", "" },
        { "abc", "abc" },
        { "ab\xC3\xA9", "ab\xC3\xA9" },
        { "ab\xE2\x82\xAC", "ab\xE2\x82\xAC" },
        { "ab\xF0\x9F\x98\x80", "ab\xF0\x9F\x98\x80" },
        { "ab\xC3", "ab" },                 /* cut short by a truncating snprintf */
        { "ab\xE2\x82", "ab" },
        { "ab\xF0\x9F\x98", "ab" },
        { "ab\xED\xA0\x80", "ab" },         /* a surrogate at the end */
        { "a\xC3\xA9\x80", "a\xC3\xA9" },   /* a stray continuation byte after a whole character */
        { "\xC3", "" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[32];
        snprintf(buf, sizeof buf, "%s", cases[i].in);
        fms_utf8_trim_tail(buf);
        ck_assert_msg(strcmp(buf, cases[i].out) == 0, "case %zu: got %zu bytes", i, strlen(buf));
    }
}
END_TEST

START_TEST(repair_replaces_bad_bytes)
{
    char a[] = "caf\xC3\xA9 \xC3( \xED\xA0\x80 \xE0\x80\xAF ok";
    fms_utf8_repair(a);
    ck_assert_str_eq(a, "caf\xC3\xA9 ?( ??? ??? ok");
    ck_assert(fms_utf8_valid(a, strlen(a)));
    char b[] = "x\xE2\x88\x92y";
    fms_utf8_repair(b);
    ck_assert_str_eq(b, "x\xE2\x88\x92y");
    char c[] = "end\xE2\x88";
    fms_utf8_repair(c);
    ck_assert_str_eq(c, "end??");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("utf8");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, boundaries_of_each_length);
    tcase_add_test(tc, refuses_what_rfc3629_refuses);
    tcase_add_test(tc, agrees_with_the_reference_decoder);
    tcase_add_test(tc, valid_and_count);
    tcase_add_test(tc, cut_at_a_boundary);
    tcase_add_test(tc, trim_tail_cuts_only_a_broken_tail);
    tcase_add_test(tc, repair_replaces_bad_bytes);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}
