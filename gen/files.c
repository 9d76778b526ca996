/* files.c: how the library writes files; see files.h. */
#include "files.h"
#include "oom.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int cannot_write(ctlc_run *run, const char *path, int err)
{
    ctlc_loc nowhere = { NULL, 0, 0 };
    ctlc_error(&run->diags, nowhere, "cannot write '%s': %s", path, strerror(err));
    return -1;
}

int ctlc_write_file(ctlc_run *run, const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "rb");
    if (f) {
        bool same = true;
        char buf[65536];
        size_t off = 0, n;
        while (same && (n = fread(buf, 1, sizeof buf, f)) > 0) {
            if (off + n > len || memcmp(buf, data + off, n) != 0)
                same = false;
            off += n;
        }
        fclose(f);
        if (same && off == len)
            return 0;
    }
    f = fopen(path, "wb");
    if (!f)
        return cannot_write(run, path, errno);
    /* fclose() releases the stream even when it fails (a full disk shows up
     * only there, when the buffer is flushed), so it is called exactly once;
     * the first error is the one reported. */
    errno = 0;
    int err = fwrite(data, 1, len, f) == len ? 0 : errno ? errno : EIO;
    if (fclose(f) != 0 && err == 0)
        err = errno ? errno : EIO;
    return err ? cannot_write(run, path, err) : 0;
}

int ctlc_replace_file(ctlc_run *run, const char *link, const char *data, size_t len)
{
    char *path = realpath(link, NULL);
    if (!path)
        return cannot_write(run, link, errno);
    ctlc_oom_hold_ptr(&path);
    char *tmp = ctlc_printf(run->arena, "%s.fmt-XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        ctlc_oom_drop(&path);
        free(path);
        return cannot_write(run, link, e);
    }
    struct stat st;
    int rc = 0;
    if (stat(path, &st) == 0)
        rc = fchmod(fd, st.st_mode & 07777);
    for (size_t off = 0; rc == 0 && off < len;) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            rc = -1;
        else
            off += (size_t)w;
    }
    if (close(fd) != 0)
        rc = -1;
    if (rc == 0 && rename(tmp, path) != 0)
        rc = -1;
    int e = errno;
    if (rc != 0)
        unlink(tmp);
    ctlc_oom_drop(&path);
    free(path);
    return rc ? cannot_write(run, link, e) : 0;
}
