/* keyedhash.h — per-student seeds that cannot be guessed: HMAC-SHA-256 keyed by a course secret.
 *
 *   seed(secret, id) = the first 8 bytes of HMAC-SHA-256(key = secret, message = id),
 *                      read as a big-endian unsigned 64-bit number
 *
 * id is the student id's bytes exactly as the roster holds them (UTF-8, no
 * terminating NUL).  The MAC is nettle's hmac_sha256 (RFC 2104 over FIPS
 * 180-4 SHA-256), not hand-written; without the secret no one can compute a
 * student's seed, and knowing some students' seeds tells nothing about
 * another's.
 *
 * A secret file holds the key's bytes.  One line end at its end ("\n" or
 * "\r\n") is not part of the key, so `echo KEY > FILE` and an editor give the
 * same key as `printf KEY > FILE`.  The secret must hold 1 to
 * FMS_SECRET_MAX bytes.  It is never copied into a message: errors name the
 * file, not its content.
 */
#ifndef FMS_KEYEDHASH_H
#define FMS_KEYEDHASH_H

#include <stddef.h>
#include <stdint.h>

#include "base/status.h"

#define FMS_SECRET_MAX 4096
#define FMS_KEYEDHASH_SIZE 32 /* bytes of an HMAC-SHA-256 */

typedef struct fms_secret {
    unsigned char bytes[FMS_SECRET_MAX];
    size_t len;
} fms_secret;

/* Reads the secret in file path into *out.  Errors: FMS_EIO when the file
 * cannot be opened or read, FMS_EINVAL when it is empty (after removing the
 * final line end) or longer than FMS_SECRET_MAX bytes; err->file is path. */
fms_status fms_keyedhash_read_secret(const char *path, fms_secret *out, fms_error *err);

/* Overwrites the secret's bytes with zeros (call when done with it). */
void fms_keyedhash_clear(fms_secret *s);

/* out = HMAC-SHA-256(key[0..keylen), msg[0..msglen)).  Cannot fail. */
void fms_keyedhash_hmac(const unsigned char *key, size_t keylen, const void *msg, size_t msglen,
                        unsigned char out[FMS_KEYEDHASH_SIZE]);

/* The seed of student id under secret s (see the formula above). */
uint64_t fms_keyedhash_seed(const fms_secret *s, const char *id);

#endif /* FMS_KEYEDHASH_H */
