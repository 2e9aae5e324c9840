/* fileio.h — files read with a size budget, and written whole or not at all.
 *
 * fms_fileio_read reads a file of at most a given size into memory, so that
 * a wrong name (a disk image, /dev/zero) is refused quickly.
 * fms_fileio_write puts the bytes in a temporary file beside the target
 * (DIR/.fms.XXXXXX, made with mkstemp: base/ofile.h; short, so that any name
 * the file system allows can be written), closes it and renames it over PATH: a
 * reader (or a crash) sees the old file or the new one, never half of one.  On any failure the temporary file is removed and PATH is left
 * as it was.
 */
#ifndef FMS_FILEIO_H
#define FMS_FILEIO_H

#include <stddef.h>

#include "base/status.h"

/* Reads the file at path into *data (NUL-terminated, *len bytes without the
 * NUL; release with free).  Errors: FMS_EIO when it cannot be opened or read
 * (a folder), FMS_EINVAL when it is larger than max bytes (a regular file is
 * refused by its size, unread, and *len is that size; 0 for a pipe);
 * err->file = path and err->line = 0. */
fms_status fms_fileio_read(const char *path, size_t max, char **data, size_t *len, fms_error *err);

/* Writes len bytes of data to path as described above, with permission bits
 * mode (0644 for ordinary output, 0600 for what only the owner may read;
 * the process's umask is applied).  Errors: FMS_EIO with err->file = path and
 * the system's reason. */
fms_status fms_fileio_write(const char *path, const void *data, size_t len, unsigned mode, fms_error *err);

/* Makes folder path (one level; its parent must exist) unless it is there,
 * and checks that files can be created in it.  Errors: FMS_EIO with
 * err->file = path ("not a folder", "cannot create", "not writable"). */
fms_status fms_fileio_folder(const char *path, fms_error *err);

/* The names in folder, except those starting with '.', sorted by strcmp,
 * in *names (release with fms_fileio_list_free).  Errors: FMS_EIO with
 * err->file = folder when it cannot be read; FMS_ENOMEM. */
fms_status fms_fileio_list(const char *folder, char ***names, size_t *n, fms_error *err);

/* Releases a list made by fms_fileio_list. */
void fms_fileio_list_free(char **names, size_t n);

/* Joins folder and name into out (cap bytes) as "folder/name".  Returns
 * FMS_OK, or FMS_EINVAL when the result does not fit. */
fms_status fms_fileio_join(const char *folder, const char *name, char *out, size_t cap);

#endif /* FMS_FILEIO_H */
