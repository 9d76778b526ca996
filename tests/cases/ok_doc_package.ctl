// A doc comment on the package declaration: it documents the whole spec.
/// Billing: invoices and the controllers that send them.
/// Owned by the payments team.
package billing;

/// One invoice line.
struct Line {
    text: string;
    cents: int;
}
