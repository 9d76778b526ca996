/* lsp.c: `ctlc lsp`, a Language Server Protocol 3.17 server over stdio
 * on the library: the documents and their checks, diagnostics pushed on
 * open and change, formatting, and the dispatch of requests to the files
 * of each feature group (lsp.h).
 *
 * Each open document is checked in a run of its own, with every open
 * document as an overlay (ctlc.h), so that an import reads the editor's
 * text before the file's. The run is kept until the next check: hover,
 * definition and symbols read its tree. A document is checked again when
 * it changes and when a spec its last check read changes or closes.
 *
 * Positions: ctlc counts lines and byte columns from 1 (diag.h); LSP
 * counts lines from 0, ends them at "\n", "\r\n" or "\r", and counts
 * columns in the negotiated encoding: UTF-8 bytes when the client offers
 * "utf-8", else UTF-16 code units. Every conversion goes through a byte
 * offset into the text (ctlc_loc_offset() on ctlc's side, lsp_text.c on
 * LSP's). What is under the cursor is lsp_find.c's. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "lsp.h"

/* ---- documents -------------------------------------------------------------------------------- */

/* Positions in the encoding the client and the server agreed on. */
static cJSON *range(const ctlc_lsp_server *s, const ctlc_lsp_lines *t, const char *text, size_t len, size_t from, size_t to)
{
    return ctlc_lsp_range(s->utf8, t, text, len, from, to);
}

cJSON *ctlc_lsp_doc_range(const ctlc_lsp_server *s, const ctlc_lsp_doc *d, size_t from, size_t to)
{
    return ctlc_lsp_range(s->utf8, &d->lines, d->text, d->len, from, to);
}

static ctlc_lsp_doc *find_doc(ctlc_lsp_server *s, const char *uri)
{
    for (size_t i = 0; i < s->ndocs; i++)
        if (strcmp(s->docs[i]->uri, uri) == 0)
            return s->docs[i];
    return NULL;
}

ctlc_lsp_doc *ctlc_lsp_doc_of_source(ctlc_lsp_server *s, const ctlc_source *src)
{
    for (size_t i = 0; i < s->ndocs; i++) {
        ctlc_lsp_doc *d = s->docs[i];
        if (d->spec && d->spec->src == src)
            return d;
        if (d->path && strcmp(d->path, src->path) == 0)
            return d;
    }
    return NULL;
}

char *ctlc_lsp_source_uri(ctlc_lsp_server *s, const ctlc_source *src)
{
    ctlc_lsp_doc *d = ctlc_lsp_doc_of_source(s, src);
    if (d)
        return ctlc_lsp_need(strdup(d->uri));
    char real[PATH_MAX];
    return ctlc_lsp_path_uri(realpath(src->path, real) ? real : src->path);
}

/* A place in a source as an LSP Location: the open document's URI when
 * the source is one, else a URI of its file (real path when there is one). */
cJSON *ctlc_lsp_location(ctlc_lsp_server *s, const ctlc_source *src, size_t from, size_t to)
{
    char *uri = ctlc_lsp_source_uri(s, src);
    ctlc_lsp_lines t = { 0 };
    ctlc_lsp_lines_build(&t, src->text, src->len);
    cJSON *loc = ctlc_lsp_need(cJSON_CreateObject());
    cJSON_AddStringToObject(loc, "uri", uri);
    cJSON_AddItemToObject(loc, "range", range(s, &t, src->text, src->len, from, to));
    free(t.start);
    free(uri);
    return loc;
}

/* ---- checking and diagnostics ----------------------------------------------------------------- */

static bool ident_byte(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

void ctlc_lsp_span(ctlc_loc loc, size_t *from, size_t *to)
{
    const ctlc_source *src = loc.src;
    size_t at = ctlc_loc_offset(src, loc.line, loc.col), end = at;
    while (end < src->len && ident_byte(src->text[end]))
        end++;
    if (end == at && at < src->len && src->text[at] != '\n' && src->text[at] != '\r') {
        size_t n = ctlc_utf8_len((const unsigned char *)src->text + at, src->len - at);
        end = at + (n ? n : 1);
    }
    *from = at;
    *to = end;
}

static void forget_check(ctlc_lsp_doc *d)
{
    ctlc_run_free(d->run); /* its diagnostics go nowhere: out is NULL */
    d->run = NULL;
    d->spec = NULL;
    for (size_t i = 0; i < d->nread; i++)
        free(d->read[i]);
    free(d->read);
    d->read = NULL;
    d->nread = 0;
}

static void check_doc(ctlc_lsp_server *s, ctlc_lsp_doc *d)
{
    forget_check(d);
    ctlc_overlay *overlays = ctlc_lsp_need(calloc(s->ndocs + 1, sizeof *overlays));
    size_t n = 0;
    for (size_t i = 0; i < s->ndocs; i++)
        if (s->docs[i]->path)
            overlays[n++] = (ctlc_overlay){ s->docs[i]->path, s->docs[i]->text, s->docs[i]->len };
    d->run = ctlc_lsp_need(ctlc_run_new(NULL));
    d->run->include_dirs = s->include_dirs;
    d->run->ninclude = s->ninclude;
    d->run->overlays = overlays;
    d->run->noverlays = n;
    ctlc_status st = d->path ? ctlc_load(d->run, d->path, &d->spec)
                             : ctlc_load_memory(d->run, d->uri, d->text, d->len, &d->spec);
    if (st != CTLC_NOMEM)
        ctlc_check(d->run);
    d->run->overlays = NULL; /* only loading reads them */
    d->run->noverlays = 0;
    free(overlays);
    size_t count = 0;
    for (ctlc_spec *sp = d->run->specs; sp; sp = sp->next)
        count++;
    d->read = ctlc_lsp_need(calloc(count ? count : 1, sizeof *d->read));
    for (ctlc_spec *sp = d->run->specs; sp; sp = sp->next)
        d->read[d->nread++] = ctlc_lsp_need(strdup(sp->canon));
}

/* The errors of specs that d imports (directly or not), counted on the
 * import of d they come through: the importer shows that its import is
 * broken (ctlc skips the semantic checks of a run with syntax errors, so
 * d may have nothing else to show). */
typedef struct import_errors {
    const ctlc_decl *imp;       /* an import of d */
    unsigned count;
    ctlc_diag_view first;       /* borrowed from the run's diagnostics */
} import_errors;

typedef struct publishing {
    ctlc_lsp_server *s;
    ctlc_lsp_doc *d;
    cJSON *list;
    import_errors *imports;
    size_t nimports;
    const ctlc_spec **seen;     /* scratch for reaches(), one slot per spec of the run */
    size_t nspecs;
} publishing;

/* True when src is spec's or that of a spec it imports, directly or not;
 * specs in p->seen[0..*nseen) are not visited again. */
static bool reaches(publishing *p, const ctlc_spec *spec, const ctlc_source *src, size_t *nseen)
{
    if (spec->src == src)
        return true;
    for (size_t i = 0; i < *nseen; i++)
        if (p->seen[i] == spec)
            return false;
    if (*nseen < p->nspecs)
        p->seen[(*nseen)++] = spec;
    for (const ctlc_decl *d = spec->decls; d; d = d->next)
        if (d->kind == CTLC_D_IMPORT && d->imported && reaches(p, d->imported, src, nseen))
            return true;
    return false;
}

/* Counts an error of an imported spec on the import it comes through. */
static void count_import_error(publishing *p, const ctlc_diag_view *msg)
{
    if (strcmp(msg->kind, "error") != 0)
        return;
    for (size_t i = 0; i < p->nimports; i++) {
        size_t nseen = 0;
        if (reaches(p, p->imports[i].imp->imported, msg->loc.src, &nseen)) {
            if (p->imports[i].count++ == 0)
                p->imports[i].first = *msg;
            return;
        }
    }
}

static const int severity_error = 1, severity_warning = 2, severity_info = 3;

cJSON *ctlc_lsp_diagnostic(ctlc_lsp_server *s, ctlc_lsp_doc *d, const ctlc_diag_view *msg, const ctlc_diag_view *notes,
                           size_t nnotes)
{
    size_t from = 0, to = 0;
    if (msg->loc.src)
        ctlc_lsp_span(msg->loc, &from, &to);
    cJSON *diag = ctlc_lsp_need(cJSON_CreateObject());
    cJSON_AddItemToObject(diag, "range", ctlc_lsp_doc_range(s, d, from, to));
    cJSON_AddNumberToObject(diag, "severity", strcmp(msg->kind, "error") == 0     ? severity_error
                                              : strcmp(msg->kind, "warning") == 0 ? severity_warning
                                                                                  : severity_info);
    cJSON_AddStringToObject(diag, "source", "ctlc");
    cJSON_AddStringToObject(diag, "message", msg->message);
    if (msg->deprecated) {
        cJSON *tags = ctlc_lsp_need(cJSON_AddArrayToObject(diag, "tags"));
        cJSON_AddItemToArray(tags, ctlc_lsp_need(cJSON_CreateNumber(2))); /* DiagnosticTag.Deprecated */
    }
    if (nnotes) {
        cJSON *related = ctlc_lsp_need(cJSON_AddArrayToObject(diag, "relatedInformation"));
        for (size_t i = 0; i < nnotes; i++) {
            cJSON *info = ctlc_lsp_need(cJSON_CreateObject());
            size_t nf = from, nt = to;
            if (notes[i].loc.src) {
                ctlc_lsp_span(notes[i].loc, &nf, &nt);
                cJSON_AddItemToObject(info, "location", ctlc_lsp_location(s, notes[i].loc.src, nf, nt));
            } else {
                cJSON *loc = ctlc_lsp_need(cJSON_CreateObject());
                cJSON_AddStringToObject(loc, "uri", d->uri);
                cJSON_AddItemToObject(loc, "range", ctlc_lsp_doc_range(s, d, from, to));
                cJSON_AddItemToObject(info, "location", loc);
            }
            cJSON_AddStringToObject(info, "message", notes[i].message);
            cJSON_AddItemToArray(related, info);
        }
    }
    const ctlc_diag_fix *fix = msg->fix;
    if (fix && fix->loc.src == msg->loc.src) {
        /* The quick fix travels with the diagnostic (lsp_actions.c). */
        size_t at = ctlc_loc_offset(fix->loc.src, fix->loc.line, fix->loc.col);
        cJSON *data = ctlc_lsp_need(cJSON_AddObjectToObject(diag, "data"));
        cJSON *f = ctlc_lsp_need(cJSON_AddObjectToObject(data, "fix"));
        cJSON_AddStringToObject(f, "title", fix->title);
        cJSON_AddItemToObject(f, "range", ctlc_lsp_doc_range(s, d, at, at + fix->n));
        cJSON_AddStringToObject(f, "newText", fix->text);
    }
    return diag;
}

static void add_diagnostic(void *user, const ctlc_diag_view *msg, const ctlc_diag_view *notes, size_t nnotes)
{
    publishing *p = user;
    ctlc_lsp_doc *d = p->d;
    const ctlc_source *mine = d->spec ? d->spec->src : NULL;
    if (msg->loc.src && msg->loc.src != mine) {
        count_import_error(p, msg); /* the message itself is that spec's */
        return;
    }
    cJSON_AddItemToArray(p->list, ctlc_lsp_diagnostic(p->s, d, msg, notes, nnotes));
}

/* An error on an import: how many errors the specs it brings in have,
 * the first as related information. */
static void add_import_diagnostic(publishing *p, const import_errors *e)
{
    ctlc_lsp_doc *d = p->d;
    const ctlc_literal *path = &e->imp->path;
    size_t from = ctlc_loc_offset(path->loc.src, path->loc.line, path->loc.col);
    cJSON *diag = ctlc_lsp_need(cJSON_CreateObject());
    cJSON_AddItemToObject(diag, "range", range(p->s, &d->lines, d->text, d->len, from, from + path->n));
    cJSON_AddNumberToObject(diag, "severity", severity_error);
    cJSON_AddStringToObject(diag, "source", "ctlc");
    char text[160];
    snprintf(text, sizeof text, "%u error%s in the imported spec%s", e->count, e->count == 1 ? "" : "s",
             e->first.loc.src == e->imp->imported->src ? "" : " or its imports");
    cJSON_AddStringToObject(diag, "message", text);
    cJSON *related = ctlc_lsp_need(cJSON_AddArrayToObject(diag, "relatedInformation"));
    cJSON *info = ctlc_lsp_need(cJSON_CreateObject());
    size_t nf, nt;
    ctlc_lsp_span(e->first.loc, &nf, &nt);
    cJSON_AddItemToObject(info, "location", ctlc_lsp_location(p->s, e->first.loc.src, nf, nt));
    cJSON_AddStringToObject(info, "message", e->first.message);
    cJSON_AddItemToArray(related, info);
    cJSON_AddItemToArray(p->list, diag);
}

/* textDocument/publishDiagnostics for d: what its last check said of it
 * (nothing when d is NULL-checked, i.e. closed: clears the list). */
static void publish(ctlc_lsp_server *s, ctlc_lsp_doc *d, const char *uri)
{
    cJSON *params = ctlc_lsp_need(cJSON_CreateObject());
    cJSON_AddStringToObject(params, "uri", uri);
    if (d)
        cJSON_AddNumberToObject(params, "version", (double)d->version);
    cJSON *list = ctlc_lsp_need(cJSON_AddArrayToObject(params, "diagnostics"));
    if (d && d->run) {
        publishing p = { s, d, list, NULL, 0, NULL, 0 };
        for (const ctlc_spec *sp = d->run->specs; sp; sp = sp->next)
            p.nspecs++;
        for (const ctlc_decl *dc = d->spec ? d->spec->decls : NULL; dc; dc = dc->next)
            p.nimports += dc->kind == CTLC_D_IMPORT && dc->imported;
        p.imports = ctlc_lsp_need(calloc(p.nimports + 1, sizeof *p.imports));
        p.seen = ctlc_lsp_need(calloc(p.nspecs + 1, sizeof *p.seen));
        p.nimports = 0;
        for (const ctlc_decl *dc = d->spec ? d->spec->decls : NULL; dc; dc = dc->next)
            if (dc->kind == CTLC_D_IMPORT && dc->imported)
                p.imports[p.nimports++].imp = dc;
        ctlc_diags_each(&d->run->diags, add_diagnostic, &p);
        for (size_t i = 0; i < p.nimports; i++)
            if (p.imports[i].count)
                add_import_diagnostic(&p, &p.imports[i]);
        free(p.imports);
        free(p.seen);
        if (d->run->nomem) {
            cJSON *diag = ctlc_lsp_need(cJSON_CreateObject());
            cJSON_AddItemToObject(diag, "range", range(s, &d->lines, d->text, d->len, 0, 0));
            cJSON_AddNumberToObject(diag, "severity", severity_error);
            cJSON_AddStringToObject(diag, "source", "ctlc");
            cJSON_AddStringToObject(diag, "message", "out of memory checking this spec");
            cJSON_AddItemToArray(list, diag);
        }
    }
    ctlc_rpc_notify(&s->rpc, "textDocument/publishDiagnostics", params);
}

/* True when o's last check could not load an import (of its spec or of
 * one it imports). */
static bool import_failed(const ctlc_lsp_doc *o)
{
    for (const ctlc_spec *sp = o->run ? o->run->specs : NULL; sp; sp = sp->next)
        if (sp->import_failed)
            return true;
    return false;
}

/* Checks and publishes d, then every other open document whose last
 * check read the spec d is (its imports see d's new text) and, when d was
 * just opened, every one whose last check missed an import (d may be it:
 * a file deleted under the server, or not yet saved). */
static void recheck(ctlc_lsp_server *s, ctlc_lsp_doc *d, bool opened)
{
    check_doc(s, d);
    publish(s, d, d->uri);
    const char *canon = d->nread ? d->read[0] : NULL;
    for (size_t i = 0; i < s->ndocs; i++) {
        ctlc_lsp_doc *o = s->docs[i];
        if (o == d)
            continue;
        bool again = opened && import_failed(o);
        for (size_t j = 1; canon && j < o->nread && !again; j++)
            again = strcmp(o->read[j], canon) == 0;
        if (again) {
            check_doc(s, o);
            publish(s, o, o->uri);
        }
    }
}

/* ---- params ----------------------------------------------------------------------------------- */

const cJSON *ctlc_lsp_member(ctlc_lsp_params *p, const cJSON *obj, const char *where, const char *name, int type)
{
    if (p->why[0])
        return NULL;
    const cJSON *v = cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, name) : NULL;
    bool ok = v && (type == cJSON_String ? cJSON_IsString(v)
                    : type == cJSON_Object ? cJSON_IsObject(v)
                    : type == cJSON_Array  ? cJSON_IsArray(v)
                                           : cJSON_IsNumber(v));
    if (!ok) {
        snprintf(p->why, sizeof p->why, "%s.%s is missing or not %s", where, name,
                 type == cJSON_String   ? "a string"
                 : type == cJSON_Object ? "an object"
                 : type == cJSON_Array  ? "an array"
                                        : "a number");
        return NULL;
    }
    return v;
}

/* A non-negative integer that fits in 32 bits (a line, a character). */
bool ctlc_lsp_get_u32(ctlc_lsp_params *p, const cJSON *obj, const char *where, const char *name, uint32_t *out)
{
    const cJSON *v = ctlc_lsp_member(p, obj, where, name, cJSON_Number);
    if (!v)
        return false;
    double x = v->valuedouble;
    if (!(x >= 0 && x <= 4294967295.0) || x != (double)(uint32_t)x) {
        snprintf(p->why, sizeof p->why, "%s.%s is not an integer from 0 to 2^32-1", where, name);
        return false;
    }
    *out = (uint32_t)x;
    return true;
}

/* params.textDocument.uri, when it names an open document. */
ctlc_lsp_doc *ctlc_lsp_the_doc(ctlc_lsp_server *s, ctlc_lsp_params *p)
{
    const cJSON *td = ctlc_lsp_member(p, p->root, "params", "textDocument", cJSON_Object);
    const cJSON *uri = ctlc_lsp_member(p, td, "params.textDocument", "uri", cJSON_String);
    if (!uri)
        return NULL;
    ctlc_lsp_doc *d = find_doc(s, uri->valuestring);
    if (!d)
        snprintf(p->why, sizeof p->why, "document '%.200s' is not open", uri->valuestring);
    return d;
}

bool ctlc_lsp_pos_offset(const ctlc_lsp_server *s, ctlc_lsp_params *p, const ctlc_lsp_doc *d, const cJSON *pos,
                         const char *where, size_t *off)
{
    uint32_t line, character;
    if (!ctlc_lsp_get_u32(p, pos, where, "line", &line) || !ctlc_lsp_get_u32(p, pos, where, "character", &character))
        return false;
    if (!ctlc_lsp_offset(s->utf8, &d->lines, d->text, d->len, line, character, off)) {
        snprintf(p->why, sizeof p->why, "%s.line %u is past the end of the document (%zu lines)", where, line,
                 d->lines.n);
        return false;
    }
    return true;
}

/* ---- requests --------------------------------------------------------------------------------- */

/* Replies with an invalid-params error when p says what is wrong. */
bool ctlc_lsp_refused(ctlc_lsp_server *s, const cJSON *id, ctlc_lsp_params *p)
{
    if (!p->why[0])
        return false;
    ctlc_rpc_error(&s->rpc, id, CTLC_RPC_INVALID_PARAMS, p->why);
    return true;
}

static void initialize(ctlc_lsp_server *s, const cJSON *id, ctlc_lsp_params *p)
{
    if (!cJSON_IsObject(p->root)) {
        ctlc_rpc_error(&s->rpc, id, CTLC_RPC_INVALID_PARAMS, "params of initialize is not an object");
        return;
    }
    const cJSON *caps = cJSON_GetObjectItemCaseSensitive(p->root, "capabilities");
    const cJSON *general = cJSON_GetObjectItemCaseSensitive(caps, "general");
    const cJSON *encodings = cJSON_GetObjectItemCaseSensitive(general, "positionEncodings");
    const cJSON *e;
    const cJSON *offered = cJSON_IsArray(encodings) ? encodings : NULL;
    s->utf8 = false;
    const cJSON *keep = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(p->root, "initializationOptions"),
                                                         "keepWireNames");
    s->keep_wire_names = cJSON_IsTrue(keep);
    cJSON_ArrayForEach(e, offered)
        if (cJSON_IsString(e) && strcmp(e->valuestring, "utf-8") == 0)
            s->utf8 = true;
    cJSON *result = ctlc_lsp_need(cJSON_CreateObject());
    cJSON *c = ctlc_lsp_need(cJSON_AddObjectToObject(result, "capabilities"));
    cJSON_AddStringToObject(c, "positionEncoding", s->utf8 ? "utf-8" : "utf-16");
    cJSON *sync = ctlc_lsp_need(cJSON_AddObjectToObject(c, "textDocumentSync"));
    cJSON_AddBoolToObject(sync, "openClose", true);
    cJSON_AddNumberToObject(sync, "change", 2); /* Incremental */
    cJSON_AddBoolToObject(c, "hoverProvider", true);
    cJSON_AddBoolToObject(c, "definitionProvider", true);
    cJSON *completion = ctlc_lsp_need(cJSON_AddObjectToObject(c, "completionProvider"));
    cJSON *triggers = ctlc_lsp_need(cJSON_AddArrayToObject(completion, "triggerCharacters"));
    for (const char *const *t = (const char *const[]){ "@", ".", "<", "(", NULL }; *t; t++)
        cJSON_AddItemToArray(triggers, ctlc_lsp_need(cJSON_CreateString(*t)));
    cJSON_AddBoolToObject(c, "referencesProvider", true);
    cJSON *actions = ctlc_lsp_need(cJSON_AddObjectToObject(c, "codeActionProvider"));
    cJSON *kinds = ctlc_lsp_need(cJSON_AddArrayToObject(actions, "codeActionKinds"));
    cJSON_AddItemToArray(kinds, ctlc_lsp_need(cJSON_CreateString("quickfix")));
    cJSON *rename = ctlc_lsp_need(cJSON_AddObjectToObject(c, "renameProvider"));
    cJSON_AddBoolToObject(rename, "prepareProvider", true);
    cJSON_AddBoolToObject(c, "workspaceSymbolProvider", true);
    cJSON_AddBoolToObject(c, "documentSymbolProvider", true);
    cJSON_AddBoolToObject(c, "documentFormattingProvider", true);
    cJSON *info = ctlc_lsp_need(cJSON_AddObjectToObject(result, "serverInfo"));
    cJSON_AddStringToObject(info, "name", "ctlc");
    cJSON_AddStringToObject(info, "version", CTLC_VERSION);
    ctlc_rpc_result(&s->rpc, id, result);
    s->phase = CTLC_LSP_RUNNING;
}

bool ctlc_lsp_point(ctlc_lsp_server *s, const cJSON *id, ctlc_lsp_params *p, ctlc_lsp_doc **d, ctlc_lsp_hit *h)
{
    *d = ctlc_lsp_the_doc(s, p);
    size_t off = 0;
    if (*d)
        ctlc_lsp_pos_offset(s, p, *d, ctlc_lsp_member(p, p->root, "params", "position", cJSON_Object), "params.position",
                            &off);
    if (ctlc_lsp_refused(s, id, p))
        return false;
    if (!(*d)->spec || (ctlc_lsp_find((*d)->spec, off, h), !h->found)) {
        ctlc_rpc_result(&s->rpc, id, NULL);
        return false;
    }
    return true;
}

static void formatting(ctlc_lsp_server *s, const cJSON *id, ctlc_lsp_params *p)
{
    ctlc_lsp_doc *d = ctlc_lsp_the_doc(s, p);
    if (ctlc_lsp_refused(s, id, p))
        return;
    ctlc_run *run = ctlc_lsp_need(ctlc_run_new(NULL));
    char *text = NULL;
    size_t len = 0;
    ctlc_status st = ctlc_fmt(run, d->path ? d->path : d->uri, d->text, d->len, &text, &len);
    ctlc_run_free(run);
    if (st != CTLC_OK) {
        ctlc_rpc_error(&s->rpc, id, CTLC_LSP_REQUEST_FAILED,
                       st == CTLC_NOMEM ? "out of memory formatting the spec"
                                        : "the spec has syntax errors (see its diagnostics); it is not formatted");
        return;
    }
    cJSON *edits = ctlc_lsp_need(cJSON_CreateArray());
    if (len != d->len || memcmp(text, d->text, len) != 0) {
        cJSON *edit = ctlc_lsp_need(cJSON_CreateObject());
        cJSON_AddItemToObject(edit, "range", range(s, &d->lines, d->text, d->len, 0, d->len));
        cJSON_AddStringToObject(edit, "newText", text);
        cJSON_AddItemToArray(edits, edit);
    }
    free(text);
    ctlc_rpc_result(&s->rpc, id, edits);
}

/* ---- notifications ---------------------------------------------------------------------------- */

/* window/logMessage of an error: what a notification could not do (it has
 * no reply to carry it). */
static void log_error(ctlc_lsp_server *s, const char *method, const char *why)
{
    cJSON *params = ctlc_lsp_need(cJSON_CreateObject());
    cJSON_AddNumberToObject(params, "type", 1);
    char text[400];
    snprintf(text, sizeof text, "ctlc: %s: %s", method, why);
    cJSON_AddStringToObject(params, "message", text);
    ctlc_rpc_notify(&s->rpc, "window/logMessage", params);
}

/* A document's version: an integer LSP gives (within 32 bits, as its
 * `integer`), else otherwise. */
static long version_of(const cJSON *v, long otherwise)
{
    if (!cJSON_IsNumber(v) || !(v->valuedouble >= -2147483648.0 && v->valuedouble <= 2147483647.0))
        return otherwise;
    return (long)v->valuedouble;
}

static void set_text(ctlc_lsp_doc *d, const char *text)
{
    free(d->text);
    d->len = strlen(text);
    d->text = ctlc_lsp_strndup(text, d->len);
    ctlc_lsp_lines_build(&d->lines, d->text, d->len);
}

static void free_doc(ctlc_lsp_doc *d)
{
    forget_check(d);
    free(d->uri);
    free(d->path);
    free(d->text);
    free(d->lines.start);
    free(d);
}

static void did_open(ctlc_lsp_server *s, ctlc_lsp_params *p)
{
    const cJSON *td = ctlc_lsp_member(p, p->root, "params", "textDocument", cJSON_Object);
    const cJSON *uri = ctlc_lsp_member(p, td, "params.textDocument", "uri", cJSON_String);
    const cJSON *text = ctlc_lsp_member(p, td, "params.textDocument", "text", cJSON_String);
    const cJSON *version = cJSON_GetObjectItemCaseSensitive(td, "version");
    if (p->why[0])
        return;
    ctlc_lsp_doc *d = find_doc(s, uri->valuestring);
    if (!d) {
        if (s->ndocs == s->cap) {
            s->cap = s->cap ? s->cap * 2 : 8;
            s->docs = ctlc_lsp_need(realloc(s->docs, s->cap * sizeof *s->docs));
        }
        d = ctlc_lsp_need(calloc(1, sizeof *d));
        d->uri = ctlc_lsp_need(strdup(uri->valuestring));
        d->path = ctlc_lsp_uri_path(d->uri);
        s->docs[s->ndocs++] = d;
    }
    d->version = version_of(version, 0);
    set_text(d, text->valuestring);
    recheck(s, d, true);
}

static void did_change(ctlc_lsp_server *s, ctlc_lsp_params *p)
{
    ctlc_lsp_doc *d = ctlc_lsp_the_doc(s, p);
    const cJSON *changes = ctlc_lsp_member(p, p->root, "params", "contentChanges", cJSON_Array);
    if (p->why[0])
        return;
    if (!ctlc_lsp_apply_changes(s, p, d, changes))
        return; /* the document stays as it was: a change it cannot take leaves it whole */
    const cJSON *version = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(p->root, "textDocument"), "version");
    d->version = version_of(version, d->version);
    recheck(s, d, false);
}

static void did_close(ctlc_lsp_server *s, ctlc_lsp_params *p)
{
    ctlc_lsp_doc *d = ctlc_lsp_the_doc(s, p);
    if (!d)
        return;
    char *canon = d->nread ? ctlc_lsp_need(strdup(d->read[0])) : NULL;
    char *uri = ctlc_lsp_need(strdup(d->uri));
    size_t i = 0;
    while (s->docs[i] != d)
        i++;
    s->docs[i] = s->docs[--s->ndocs];
    free_doc(d);
    publish(s, NULL, uri);
    /* What imported it reads the file on disk now. */
    for (size_t j = 0; canon && j < s->ndocs; j++) {
        ctlc_lsp_doc *o = s->docs[j];
        for (size_t k = 1; k < o->nread; k++)
            if (strcmp(o->read[k], canon) == 0) {
                check_doc(s, o);
                publish(s, o, o->uri);
                break;
            }
    }
    free(canon);
    free(uri);
}

/* settings.ctl.keepWireNames, when the settings have it (rename keeps
 * wire names with @json: lsp_rename.c). */
static void did_change_configuration(ctlc_lsp_server *s, ctlc_lsp_params *p)
{
    const cJSON *settings = ctlc_lsp_member(p, p->root, "params", "settings", cJSON_Object);
    const cJSON *keep = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(settings, "ctl"),
                                                         "keepWireNames");
    if (cJSON_IsBool(keep))
        s->keep_wire_names = cJSON_IsTrue(keep);
    else if (keep)
        snprintf(p->why, sizeof p->why, "settings.ctl.keepWireNames is not a boolean");
}

/* ---- the loop --------------------------------------------------------------------------------- */

static void dispatch(ctlc_lsp_server *s, const cJSON *msg)
{
    const cJSON *method = cJSON_GetObjectItemCaseSensitive(msg, "method");
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(msg, "id");
    ctlc_lsp_params p = { cJSON_GetObjectItemCaseSensitive(msg, "params"), "" };
    if (!method)
        return; /* a response to a request of ours: we send none that need one */
    const char *m = method->valuestring;
    bool request = id != NULL;
    if (strcmp(m, "exit") == 0) {
        s->exited = true;
        s->exit_code = s->phase == CTLC_LSP_SHUT_DOWN ? 0 : 1;
        return;
    }
    if (s->phase == CTLC_LSP_BEFORE_INIT && strcmp(m, "initialize") != 0) {
        if (request)
            ctlc_rpc_error(&s->rpc, id, CTLC_RPC_SERVER_NOT_INITIALIZED, "the server is not initialized yet: send initialize first");
        return;
    }
    if (s->phase == CTLC_LSP_SHUT_DOWN) {
        if (request)
            ctlc_rpc_error(&s->rpc, id, CTLC_RPC_INVALID_REQUEST, "the server is shut down: only exit is accepted");
        return;
    }
    if (request) {
        if (strcmp(m, "initialize") == 0) {
            if (s->phase == CTLC_LSP_RUNNING)
                ctlc_rpc_error(&s->rpc, id, CTLC_RPC_INVALID_REQUEST, "initialize was sent twice");
            else
                initialize(s, id, &p);
        } else if (strcmp(m, "shutdown") == 0) {
            s->phase = CTLC_LSP_SHUT_DOWN;
            ctlc_rpc_result(&s->rpc, id, NULL);
        } else if (strcmp(m, "textDocument/hover") == 0) {
            ctlc_lsp_hover(s, id, &p);
        } else if (strcmp(m, "textDocument/definition") == 0) {
            ctlc_lsp_definition(s, id, &p);
        } else if (strcmp(m, "textDocument/completion") == 0) {
            ctlc_lsp_completion(s, id, &p);
        } else if (strcmp(m, "textDocument/prepareRename") == 0) {
            ctlc_lsp_prepare_rename(s, id, &p);
        } else if (strcmp(m, "textDocument/rename") == 0) {
            ctlc_lsp_rename(s, id, &p);
        } else if (strcmp(m, "textDocument/codeAction") == 0) {
            ctlc_lsp_code_actions(s, id, &p);
        } else if (strcmp(m, "textDocument/references") == 0) {
            ctlc_lsp_references(s, id, &p);
        } else if (strcmp(m, "workspace/symbol") == 0) {
            ctlc_lsp_workspace_symbols(s, id, &p);
        } else if (strcmp(m, "textDocument/documentSymbol") == 0) {
            ctlc_lsp_document_symbols(s, id, &p);
        } else if (strcmp(m, "textDocument/formatting") == 0) {
            formatting(s, id, &p);
        } else {
            char why[300];
            snprintf(why, sizeof why, "method '%.200s' is not supported", m);
            ctlc_rpc_error(&s->rpc, id, CTLC_RPC_METHOD_NOT_FOUND, why);
        }
        return;
    }
    if (strcmp(m, "textDocument/didOpen") == 0)
        did_open(s, &p);
    else if (strcmp(m, "textDocument/didChange") == 0)
        did_change(s, &p);
    else if (strcmp(m, "textDocument/didClose") == 0)
        did_close(s, &p);
    else if (strcmp(m, "workspace/didChangeConfiguration") == 0)
        did_change_configuration(s, &p);
    else
        return; /* initialized, $/cancelRequest, $/setTrace, didSave...: nothing to do */
    if (p.why[0])
        log_error(s, m, p.why);
}

int ctlc_lsp(FILE *in, FILE *out, const char **include_dirs, size_t ninclude)
{
    ctlc_lsp_server s = { .rpc = { in, out, 0 }, .include_dirs = include_dirs, .ninclude = ninclude, .exit_code = 1 };
    while (!s.exited) {
        cJSON *msg, *id;
        int code;
        char why[256];
        ctlc_rpc_read_status st = ctlc_rpc_read(&s.rpc, &msg, &id, &code, why, sizeof why);
        if (st == CTLC_RPC_EOF)
            break;
        if (st == CTLC_RPC_BAD) {
            ctlc_rpc_error(&s.rpc, id, code, why);
            cJSON_Delete(id);
            continue;
        }
        dispatch(&s, msg);
        cJSON_Delete(msg);
    }
    for (size_t i = 0; i < s.ndocs; i++)
        free_doc(s.docs[i]);
    free(s.docs);
    return s.exited ? s.exit_code : 1;
}
