/* utf8.h — the one definition of valid UTF-8 in fmsolve.
 *
 * Contract: a byte string is valid UTF-8 when it is a sequence of the
 * well-formed sequences of RFC 3629 (section 4), that is of the Unicode
 * scalar values U+0000..U+D7FF and U+E000..U+10FFFF, each in its shortest
 * form:
 *
 *   U+0000..U+007F     00..7F
 *   U+0080..U+07FF     C2..DF 80..BF
 *   U+0800..U+FFFF     E0 A0..BF 80..BF | E1..EC 80..BF 80..BF
 *                      | ED 80..9F 80..BF (no surrogates) | EE..EF 80..BF 80..BF
 *   U+10000..U+10FFFF  F0 90..BF 80..BF 80..BF | F1..F3 80..BF 80..BF 80..BF
 *                      | F4 80..8F 80..BF 80..BF
 *
 * so overlong forms (C0, C1, E0 80.., F0 80..), UTF-16 surrogates
 * (U+D800..U+DFFF) and code points above U+10FFFF (F4 90.., F5..FF) are
 * refused.  The NUL byte U+0000 is valid UTF-8; callers that handle C
 * strings refuse it themselves.  Every function here is total: it never
 * reads outside the bytes it is given and cannot fail.
 */
#ifndef FMS_UTF8_H
#define FMS_UTF8_H

#include <stddef.h>

/* 1 when c is a continuation byte (10xxxxxx), which never starts a character. */
static inline int fms_utf8_is_cont(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

/* The length (1 to 4) of the well-formed sequence that starts s, of which n
 * bytes may be read; 0 when n is 0 or the bytes at s are no well-formed
 * sequence (a stray continuation byte, an overlong form, a surrogate, a code
 * point above U+10FFFF, or a sequence cut short by the end of the n bytes). */
size_t fms_utf8_seq_len(const char *s, size_t n);

/* 1 when the n bytes at s are valid UTF-8, else 0. */
int fms_utf8_valid(const char *s, size_t n);

/* The number of characters (code points) in the n bytes at s, counting the
 * bytes that are not continuation bytes: exact for valid UTF-8. */
size_t fms_utf8_count(const char *s, size_t n);

/* The length, at most max bytes, to which the n bytes at s can be cut
 * without splitting a character: n when n <= max, otherwise max moved back
 * over continuation bytes (so 0 when s starts with a character longer than max). */
size_t fms_utf8_cut(const char *s, size_t n, size_t max);

/* Cuts a broken tail off the NUL-terminated s: the last character (found
 * at most three continuation bytes back) when it is cut short, as by a
 * truncating snprintf, or not well formed; stray continuation bytes after a
 * whole last character.  A truncated message then never ends in half a
 * character.  Only the tail is looked at; valid UTF-8 is left unchanged. */
void fms_utf8_trim_tail(char *s);

/* Replaces, in the NUL-terminated s, every byte that does not belong to a
 * well-formed sequence with '?', so that s becomes valid UTF-8 of the same
 * length (cairo refuses to draw anything else). */
void fms_utf8_repair(char *s);

#endif /* FMS_UTF8_H */
