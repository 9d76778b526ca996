/* emit_out.c: how emitters write their files, and names derived from a
 * spec's path. */
#include <errno.h>
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
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        fprintf(run->diags.out, "ctlc: error: cannot write '%s': %s\n", path, strerror(errno));
        if (f)
            fclose(f);
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
