/* doc_text.h: how the reference (`ctlc doc`, emit_doc.c) words a field's
 * constraints and default, shared with the hover of `ctlc lsp` so that
 * both say the same. Plain text: the caller escapes it for its context. */
#ifndef CTLC_DOC_TEXT_H
#define CTLC_DOC_TEXT_H

#include <stdio.h>

#include "ast.h"

/* A field's @length and @range: "length 1..64 code points; range ≥ 0";
 * nothing when it has neither. */
void ctlc_doc_constraints(FILE *out, const ctlc_field *f);

/* A literal (a default) as it goes on the wire: 42, "text", true, and an
 * enum member by its wire name. type is the field's (checked). */
void ctlc_doc_literal(FILE *out, const ctlc_literal *lit, const ctlc_type *type);

#endif
