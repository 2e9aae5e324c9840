/* fileio.c — see fileio.h. */
#include "base/fileio.h"

#include "base/ofile.h"
#include "base/strbuf.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The permission bits the process's umask leaves of mode. */
static mode_t masked(unsigned mode)
{
    mode_t u = umask(077);
    umask(u);
    return (mode_t)mode & ~u;
}

static fms_status io_fail(fms_error *err, const char *path, const char *what, int e)
{
    fms_error_set_file(err, path);
    return fms_error_set(err, FMS_EIO, 0, "%s: %s", what, strerror(e));
}

/* Writes all of data to fd; returns 0 or an errno value. */
static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, data, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return w < 0 ? errno : EIO;
        data += w;
        len -= (size_t)w;
    }
    return 0;
}

fms_status fms_fileio_read(const char *path, size_t max, char **data, size_t *len, fms_error *err)
{
    *data = NULL;
    *len = 0;
    fms_error_set_file(err, path);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return fms_error_set(err, FMS_EIO, 0, "cannot open: %s", strerror(errno));
    /* A regular file past max is refused by its size, unread; else its size
     * bounds the buffer (one byte more shows growth).  A pipe or a device
     * may hold up to max. */
    struct stat sb;
    size_t cap = max;
    if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode)) {
        if ((unsigned long long)sb.st_size > max) {
            fclose(f);
            *len = (size_t)sb.st_size;
            return fms_error_set(err, FMS_EINVAL, 0, "the file is larger than %zu bytes (it has %zu)", max, *len);
        }
        cap = (size_t)sb.st_size;
    }
    char *buf = malloc(cap + 2);
    if (buf == NULL) {
        fclose(f);
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    }
    size_t n = fread(buf, 1, cap + 1, f);
    if (n == cap + 1 && cap < max) { /* it grew while read: read on, up to max + 1 */
        char *more = realloc(buf, max + 2);
        if (more == NULL) {
            free(buf);
            fclose(f);
            return fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
        }
        buf = more;
        n += fread(buf + n, 1, max + 1 - n, f);
    }
    int bad = ferror(f);
    fclose(f);
    fms_status st = FMS_OK;
    if (bad)
        st = fms_error_set(err, FMS_EIO, 0, "cannot read (is it a folder?)");
    else if (n > max)
        st = fms_error_set(err, FMS_EINVAL, 0, "the file is larger than %zu bytes", max);
    if (st != FMS_OK) {
        free(buf);
        return st;
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return FMS_OK;
}

fms_status fms_fileio_write(const char *path, const void *data, size_t len, unsigned mode, fms_error *err)
{
    char *tmp = fms_ofile_temp_name(path); /* short: fits NAME_MAX whatever the target's name */
    if (tmp == NULL)
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        return io_fail(err, path, "cannot create the file", e);
    }
    int e = write_all(fd, data, len);
    if (e == 0 && fchmod(fd, masked(mode)) != 0)
        e = errno;
    if (close(fd) != 0 && e == 0)
        e = errno;
    if (e == 0 && rename(tmp, path) != 0)
        e = errno;
    if (e != 0)
        unlink(tmp);
    free(tmp);
    return e == 0 ? FMS_OK : io_fail(err, path, "cannot write the file", e);
}

fms_status fms_fileio_folder(const char *path, fms_error *err)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        if (errno != ENOENT || mkdir(path, 0777) != 0)
            return io_fail(err, path, "cannot create the folder", errno);
    } else if (!S_ISDIR(sb.st_mode)) {
        fms_error_set_file(err, path);
        return fms_error_set(err, FMS_EIO, 0, "not a folder");
    }
    if (access(path, W_OK | X_OK) != 0)
        return io_fail(err, path, "cannot write into the folder", errno);
    return FMS_OK;
}

fms_status fms_fileio_join(const char *folder, const char *name, char *out, size_t cap)
{
    size_t a = strlen(folder);
    int slash = a > 0 && folder[a - 1] != '/';
    int n = snprintf(out, cap, "%s%s%s", folder, slash ? "/" : "", name);
    return n >= 0 && (size_t)n < cap ? FMS_OK : FMS_EINVAL;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

fms_status fms_fileio_list(const char *folder, char ***names, size_t *n, fms_error *err)
{
    *names = NULL;
    *n = 0;
    DIR *d = opendir(folder);
    if (d == NULL)
        return io_fail(err, folder, "cannot read the folder", errno);
    size_t cap = 0;
    fms_status st = FMS_OK;
    struct dirent *e;
    while (st == FMS_OK && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (*n == cap) {
            char **a = realloc(*names, (cap ? 2 * cap : 64) * sizeof *a);
            if (a == NULL) {
                st = fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
                break;
            }
            *names = a;
            cap = cap ? 2 * cap : 64;
        }
        (*names)[*n] = fms_strbuf_dup(e->d_name);
        if ((*names)[*n] == NULL)
            st = fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
        else
            (*n)++;
    }
    closedir(d);
    if (st != FMS_OK) {
        fms_fileio_list_free(*names, *n);
        *names = NULL;
        *n = 0;
        return st;
    }
    if (*n > 1)
        qsort(*names, *n, sizeof **names, by_name);
    return FMS_OK;
}

void fms_fileio_list_free(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}
