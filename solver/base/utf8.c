/* utf8.c — see utf8.h. */
#include "base/utf8.h"

#include <string.h>

/* RFC 3629's table of well-formed sequences, one row a range of lead bytes:
 * the sequence's length and the range of its second byte (the later bytes
 * are always 80..BF).  The second-byte ranges are what refuse the overlong
 * forms (E0, F0), the surrogates (ED) and the code points above U+10FFFF (F4). */
static const struct {
    unsigned char lead_lo, lead_hi;
    unsigned char len;
    unsigned char second_lo, second_hi;
} seq_table[] = {
    { 0xC2, 0xDF, 2, 0x80, 0xBF },
    { 0xE0, 0xE0, 3, 0xA0, 0xBF },
    { 0xE1, 0xEC, 3, 0x80, 0xBF },
    { 0xED, 0xED, 3, 0x80, 0x9F },
    { 0xEE, 0xEF, 3, 0x80, 0xBF },
    { 0xF0, 0xF0, 4, 0x90, 0xBF },
    { 0xF1, 0xF3, 4, 0x80, 0xBF },
    { 0xF4, 0xF4, 4, 0x80, 0x8F },
};

size_t fms_utf8_seq_len(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] < 0x80)
        return 1;
    for (size_t r = 0; r < sizeof seq_table / sizeof seq_table[0]; r++) {
        if (u[0] < seq_table[r].lead_lo || u[0] > seq_table[r].lead_hi)
            continue;
        size_t len = seq_table[r].len;
        if (n < len || u[1] < seq_table[r].second_lo || u[1] > seq_table[r].second_hi)
            return 0;
        for (size_t i = 2; i < len; i++)
            if (!fms_utf8_is_cont(u[i]))
                return 0;
        return len;
    }
    return 0; /* 80..C1 and F5..FF start no sequence */
}

int fms_utf8_valid(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t k = fms_utf8_seq_len(s + i, n - i);
        if (k == 0)
            return 0;
        i += k;
    }
    return 1;
}

size_t fms_utf8_count(const char *s, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        count += !fms_utf8_is_cont((unsigned char)s[i]);
    return count;
}

size_t fms_utf8_cut(const char *s, size_t n, size_t max)
{
    if (n <= max)
        return n;
    while (max > 0 && fms_utf8_is_cont((unsigned char)s[max]))
        max--;
    return max;
}

void fms_utf8_trim_tail(char *s)
{
    size_t n = strlen(s);
    size_t i = n;
    /* The last character starts at most three continuation bytes back. */
    while (i > 0 && n - i < 3 && fms_utf8_is_cont((unsigned char)s[i - 1]))
        i--;
    if (i == 0)
        return;
    /* Keep the character that starts there if it is whole, and cut what follows. */
    size_t start = i - 1;
    s[start + fms_utf8_seq_len(s + start, n - start)] = '\0';
}

void fms_utf8_repair(char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        size_t k = fms_utf8_seq_len(s + i, n - i);
        if (k == 0) {
            s[i++] = '?';
            continue;
        }
        i += k;
    }
}
