/* emit_out.c: how emitters write their files, and names derived from a
 * spec's path. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "emit.h"

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
    if (!f) {
        fprintf(run->diags.out, "ctlc: error: cannot write '%s': %s\n", path, strerror(errno));
        return -1;
    }
    /* fclose() releases the stream even when it fails (a full disk shows up
     * only there, when the buffer is flushed), so it is called exactly once;
     * the first error is the one reported. */
    errno = 0;
    int err = fwrite(data, 1, len, f) == len ? 0 : errno ? errno : EIO;
    if (fclose(f) != 0 && err == 0)
        err = errno ? errno : EIO;
    if (err) {
        fprintf(run->diags.out, "ctlc: error: cannot write '%s': %s\n", path, strerror(err));
        return -1;
    }
    return 0;
}

const char *ctlc_spec_stem(ctlc_run *run, const ctlc_spec *spec)
{
    const char *path = spec->src->path;
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t n = strlen(base);
    if (n > 4 && strcmp(base + n - 4, ".ctl") == 0)
        n -= 4;
    return ctlc_strndup(run->arena, base, n);
}

const char *ctlc_spec_title(ctlc_run *run, const ctlc_spec *spec)
{
    if (spec->package)
        return ctlc_strndup(run->arena, spec->package->name.z, spec->package->name.n);
    return ctlc_spec_stem(run, spec);
}

int ctlc_finish_stdout(void)
{
    /* A failed fwrite() leaves only the error flag behind (the buffer is
     * gone), so fflush() alone would report success for a full disk; errno
     * still says why, as nothing since has failed. */
    if (fflush(stdout) == 0 && !ferror(stdout))
        return 0;
    fprintf(stderr, "ctlc: error: cannot write to standard output: %s\n", errno ? strerror(errno) : "write error");
    return -1;
}
