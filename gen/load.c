/* load.c: reading specs and resolving their imports.
 *
 * `import "path.ctl";` is looked up next to the importing file, then in each
 * -I directory, in order. A file is loaded once however often it is imported
 * (by its canonical path), and an import that leads back to a file still
 * being loaded is a cycle. An overlay of the run (an editor's buffer)
 * stands for the file at its path, which need not exist. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "load.h"
#include "oom.h"
#include "parse.h"

enum { MAX_IMPORT_DEPTH = 200 };

ctlc_run *ctlc_run_new(FILE *out)
{
    ctlc_run *run = calloc(1, sizeof *run);
    if (!run)
        return NULL;
    run->arena = ctlc_arena_new();
    if (!run->arena) {
        free(run);
        return NULL;
    }
    run->diags.out = out;
    return run;
}

void ctlc_run_free(ctlc_run *run)
{
    if (!run)
        return;
    ctlc_diags_flush(&run->diags);
    for (size_t i = 0; i < run->nsources; i++)
        ctlc_source_free(run->sources[i]);
    free(run->sources);
    free(run->stack);
    ctlc_arena_free(run->arena);
    free(run);
}

void ctlc_run_flush(ctlc_run *run)
{
    ctlc_diags_flush(&run->diags);
}

void ctlc_run_discard(ctlc_run *run)
{
    ctlc_diags_discard(&run->diags);
}

ctlc_source *ctlc_run_adopt(ctlc_run *run, ctlc_source *src)
{
    if (!src)
        ctlc_out_of_memory();
    if (run->nsources == run->sources_cap) {
        size_t cap = run->sources_cap ? run->sources_cap * 2 : 16;
        ctlc_source **grown = realloc(run->sources, cap * sizeof *grown);
        if (!grown) {
            ctlc_source_free(src);
            ctlc_out_of_memory();
        }
        run->sources = grown;
        run->sources_cap = cap;
    }
    run->sources[run->nsources++] = src;
    src->order = (unsigned)run->nsources;
    return src;
}

/* path made absolute and clean ("//", "." and ".." resolved by the
 * letters, not by the file system) into out. False when too long. */
static bool lexical_path(const char *path, char out[PATH_MAX])
{
    char whole[PATH_MAX];
    if (path[0] == '/') {
        if (strlen(path) >= sizeof whole)
            return false;
        strcpy(whole, path);
    } else {
        if (!getcwd(whole, sizeof whole) || strlen(whole) + 1 + strlen(path) >= sizeof whole)
            return false;
        strcat(whole, "/");
        strcat(whole, path);
    }
    size_t n = 0;
    for (const char *p = whole; *p;) {
        while (*p == '/')
            p++;
        size_t len = strcspn(p, "/");
        if (len == 0)
            break;
        if (len == 1 && p[0] == '.') {
            /* nothing */
        } else if (len == 2 && p[0] == '.' && p[1] == '.') {
            while (n > 0 && out[n - 1] != '/')
                n--;
            if (n > 0)
                n--;
        } else {
            out[n++] = '/';
            memcpy(out + n, p, len);
            n += len;
        }
        p += len;
    }
    if (n == 0)
        out[n++] = '/';
    out[n] = '\0';
    return true;
}

/* The name that identifies the file at path: realpath's, else (no file
 * there) the lexical one. False when neither can be had (errno says why). */
static bool identity(const char *path, char canon[PATH_MAX])
{
    if (realpath(path, canon))
        return true;
    int err = errno;
    if (err == ENOENT && lexical_path(path, canon))
        return true;
    errno = err;
    return false;
}

/* The canonical path of path into canon, and the overlay that stands for
 * that file (*overlay, or NULL). False when there is neither a file nor an
 * overlay (errno says why). */
static bool canonical(ctlc_run *run, const char *path, char canon[PATH_MAX], const ctlc_overlay **overlay)
{
    *overlay = NULL;
    bool on_disk = realpath(path, canon) != NULL;
    int err = errno;
    if (!on_disk && (!run->noverlays || !lexical_path(path, canon))) {
        errno = err;
        return false;
    }
    for (size_t i = 0; i < run->noverlays; i++) {
        char other[PATH_MAX];
        if (identity(run->overlays[i].path, other) && strcmp(other, canon) == 0) {
            *overlay = &run->overlays[i];
            return true;
        }
    }
    errno = err;
    return on_disk;
}

/* A new source of the file at path: the overlay's text, or the file's. */
static ctlc_source *read_source(const char *path, const ctlc_overlay *overlay)
{
    return overlay ? ctlc_source_from(path, overlay->text, overlay->len) : ctlc_source_read(path);
}

static ctlc_spec *find_loaded(ctlc_run *run, const char *canon)
{
    for (ctlc_spec *s = run->specs; s; s = s->next)
        if (strcmp(s->canon, canon) == 0)
            return s;
    return NULL;
}

static void push(ctlc_run *run, ctlc_spec *spec)
{
    if (run->depth == run->stack_cap) {
        run->stack = ctlc_grow(run->stack, &run->stack_cap, run->depth + 1, sizeof *run->stack);
    }
    run->stack[run->depth++] = spec;
}

static void resolve_imports(ctlc_run *run, ctlc_spec *spec);

/* Parses src (read, not yet the run's) as a new spec named canon. */
static ctlc_spec *load_file(ctlc_run *run, ctlc_source *src, const char *canon)
{
    ctlc_run_adopt(run, src);
    ctlc_spec *spec = ctlc_parse(run->arena, &run->diags, src, NULL);
    spec->canon = ctlc_strndup(run->arena, canon, strlen(canon));
    if (run->last)
        run->last->next = spec;
    else
        run->specs = spec;
    run->last = spec;
    spec->visit = 1;
    push(run, spec);
    resolve_imports(run, spec);
    run->depth--;
    spec->visit = 2;
    return spec;
}

static ctlc_status cannot_read(ctlc_run *run, const char *path, int err)
{
    ctlc_loc nowhere = { NULL, 0, 0 };
    ctlc_error(&run->diags, nowhere, "cannot read '%s': %s", path, strerror(err));
    run->io_error = true;
    return CTLC_IO;
}

static ctlc_status load(ctlc_run *run, const char *path, ctlc_spec **out)
{
    ctlc_spec *ignored;
    if (!out)
        out = &ignored;
    *out = NULL;
    char canon[PATH_MAX];
    const ctlc_overlay *overlay;
    if (!canonical(run, path, canon, &overlay))
        return cannot_read(run, path, errno);
    ctlc_spec *spec = find_loaded(run, canon);
    if (!spec) {
        ctlc_source *src = read_source(path, overlay);
        if (!src && errno == ENOMEM)
            ctlc_out_of_memory();
        if (!src)
            return cannot_read(run, path, errno);
        spec = load_file(run, src, canon);
    }
    *out = spec;
    return CTLC_OK;
}

ctlc_status ctlc_load(ctlc_run *run, const char *path, ctlc_spec **spec)
{
    if (spec)
        *spec = NULL;
    CTLC_GUARDED(run, load(run, path, spec));
}

static ctlc_status load_memory(ctlc_run *run, const char *path, const char *data, size_t len, ctlc_spec **out)
{
    ctlc_spec *ignored;
    if (!out)
        out = &ignored;
    /* A name no file can have, so that a spec in memory never meets a file. */
    char *canon = ctlc_printf(run->arena, "<memory %zu>:%s", run->nsources + 1, path);
    *out = load_file(run, ctlc_source_from(path, data, len), canon);
    return CTLC_OK;
}

ctlc_status ctlc_load_memory(ctlc_run *run, const char *path, const char *data, size_t len, ctlc_spec **spec)
{
    if (spec)
        *spec = NULL;
    CTLC_GUARDED(run, load_memory(run, path, data, len, spec));
}

/* dir + "/" + name, where dir is the folder part of the importer's path. */
static char *join(ctlc_arena *a, const char *dir, size_t dirlen, const char *name)
{
    if (name[0] == '/' || dirlen == 0)
        return ctlc_strndup(a, name, strlen(name));
    if (dir[dirlen - 1] == '/')
        return ctlc_printf(a, "%.*s%s", (int)dirlen, dir, name);
    return ctlc_printf(a, "%.*s/%s", (int)dirlen, dir, name);
}

static void report_cycle(ctlc_run *run, ctlc_decl *imp, ctlc_spec *target)
{
    /* The chain runs from target (on the stack) through the importer. */
    size_t from = 0;
    while (from < run->depth && run->stack[from] != target)
        from++;
    size_t len = 0;
    for (size_t i = from; i < run->depth; i++)
        len += strlen(run->stack[i]->src->path) + 4;
    len += strlen(target->src->path) + 1;
    char *chain = ctlc_alloc(run->arena, len);
    for (size_t i = from; i < run->depth; i++) {
        strcat(chain, run->stack[i]->src->path);
        strcat(chain, " -> ");
    }
    strcat(chain, target->src->path);
    ctlc_error(&run->diags, imp->path.loc, "import cycle: %s", chain);
}

static void resolve_import(ctlc_run *run, ctlc_spec *spec, ctlc_decl *imp)
{
    const char *name = imp->path.s;
    if (imp->path.bad)
        return;
    if (name[0] == '\0') {
        ctlc_error(&run->diags, imp->path.loc, "import path is empty");
        return;
    }
    for (const char *c = name; *c; c++)
        if ((unsigned char)*c < 0x20) {
            ctlc_error(&run->diags, imp->path.loc, "import path holds a control character");
            return;
        }
    if (run->depth >= MAX_IMPORT_DEPTH) {
        ctlc_error(&run->diags, imp->path.loc, "imports nested more than %d levels deep", MAX_IMPORT_DEPTH);
        return;
    }
    const char *path = spec->src->path;
    const char *slash = strrchr(path, '/');
    size_t ndirs = 1 + run->ninclude;
    for (size_t i = 0; i < ndirs; i++) {
        char *cand;
        if (i == 0)
            cand = join(run->arena, path, slash ? (size_t)(slash - path) : 0, name);
        else
            cand = join(run->arena, run->include_dirs[i - 1], strlen(run->include_dirs[i - 1]), name);
        struct stat st;
        bool on_disk = stat(cand, &st) == 0;
        if (on_disk && S_ISDIR(st.st_mode)) {
            ctlc_error(&run->diags, imp->path.loc, "import '%s' is a directory, not a spec", cand);
            return;
        }
        if (on_disk && !S_ISREG(st.st_mode)) {
            /* A device or a pipe (/dev/stdin would eat ctlc lsp's input). */
            ctlc_error(&run->diags, imp->path.loc, "import '%s' is not a regular file", cand);
            return;
        }
        char canon[PATH_MAX];
        const ctlc_overlay *overlay;
        if (!canonical(run, cand, canon, &overlay)) {
            if (!on_disk)
                continue;
            ctlc_error(&run->diags, imp->path.loc, "cannot read import '%s': %s", cand, strerror(errno));
            return;
        }
        ctlc_spec *found = find_loaded(run, canon);
        if (found) {
            if (found->visit == 1)
                report_cycle(run, imp, found);
            else
                imp->imported = found;
            return;
        }
        ctlc_source *src = read_source(cand, overlay);
        if (!src && errno == ENOMEM)
            ctlc_out_of_memory();
        if (!src) {
            ctlc_error(&run->diags, imp->path.loc, "cannot read import '%s': %s", cand, strerror(errno));
            return;
        }
        imp->imported = load_file(run, src, canon);
        return;
    }
    if (run->ninclude)
        ctlc_error(&run->diags, imp->path.loc,
                   "import '%s' not found next to this file or in any -I directory", name);
    else
        ctlc_error(&run->diags, imp->path.loc, "import '%s' not found next to this file", name);
}

static void resolve_imports(ctlc_run *run, ctlc_spec *spec)
{
    for (ctlc_decl *d = spec->decls; d; d = d->next)
        if (d->kind == CTLC_D_IMPORT) {
            resolve_import(run, spec, d);
            if (!d->imported)
                spec->import_failed = true;
        }
}
