/* ofile.c — see ofile.h. */
#include "base/ofile.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/strbuf.h"

#define TEMPLATE ".fms.XXXXXX"

/* The temporary files open now, for a signal handler: a name is published
 * (pending[i] filled, then busy[i] set) only once it is complete. */
static char pending[FMS_OFILE_MAX][4096];
static volatile sig_atomic_t busy[FMS_OFILE_MAX];

static int publish(const char *tmp)
{
    size_t n = strlen(tmp);
    for (int i = 0; i < FMS_OFILE_MAX; i++) {
        if (!busy[i] && n < sizeof pending[i]) {
            memcpy(pending[i], tmp, n + 1);
            busy[i] = 1;
            return i;
        }
    }
    return -1;
}

static void unpublish(fms_ofile *f)
{
    if (f->slot >= 0)
        busy[f->slot] = 0;
    f->slot = -1;
}

void fms_ofile_discard_all_signal(void)
{
    for (int i = 0; i < FMS_OFILE_MAX; i++)
        if (busy[i])
            unlink(pending[i]);
}

static void release(fms_ofile *f)
{
    unpublish(f);
    free(f->path);
    free(f->tmp);
    *f = (fms_ofile){ .slot = -1 };
}

char *fms_ofile_temp_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    char *name = malloc(dirlen + sizeof TEMPLATE);
    if (name) {
        memcpy(name, path, dirlen);
        memcpy(name + dirlen, TEMPLATE, sizeof TEMPLATE);
    }
    return name;
}

fms_status fms_ofile_open(fms_ofile *f, const char *path, fms_error *err)
{
    *f = (fms_ofile){ .slot = -1 };
    f->path = fms_strbuf_dup(path);
    f->tmp = fms_ofile_temp_name(path);
    if (!f->path || !f->tmp) {
        release(f);
        return fms_error_set(err, FMS_ENOMEM, 0, "out of memory");
    }
    int fd = mkstemp(f->tmp);
    if (fd < 0) {
        fms_status st = fms_error_set(err, FMS_EIO, 0, "cannot create %s: %s", path, strerror(errno));
        release(f);
        return st;
    }
    f->slot = publish(f->tmp);
    mode_t mask = umask(0);
    umask(mask);
    f->fp = fchmod(fd, 0666 & ~mask) == 0 ? fdopen(fd, "wb") : NULL;
    if (f->fp == NULL) {
        fms_status st = fms_error_set(err, FMS_EIO, 0, "cannot create %s: %s", path, strerror(errno));
        close(fd);
        unlink(f->tmp);
        release(f);
        return st;
    }
    return FMS_OK;
}

fms_status fms_ofile_commit(fms_ofile *f, fms_error *err)
{
    fms_status st = FMS_OK;
    int e = 0;
    errno = 0;
    if (fflush(f->fp) != 0 || ferror(f->fp))
        e = errno ? errno : EIO;
    if (fclose(f->fp) != 0 && e == 0)
        e = errno ? errno : EIO;
    f->fp = NULL;
    if (e == 0 && rename(f->tmp, f->path) != 0)
        e = errno;
    if (e != 0) {
        st = fms_error_set(err, FMS_EIO, 0, "cannot write %s: %s", f->path, strerror(e));
        unlink(f->tmp);
    }
    release(f);
    return st;
}

void fms_ofile_discard(fms_ofile *f)
{
    if (f->fp)
        fclose(f->fp);
    if (f->tmp)
        unlink(f->tmp);
    release(f);
}
