// A file with CRLF line endings everywhere, doc comments included: the doc
// text holds no carriage return, and a warning on line 17 (a deprecated
// type) shows the right line and column, without the CR.
/// Windows-edited spec.
package crlf;

/// A kind.
/// Second line.
enum Kind { a, b, }

/* a block comment
   over CRLF lines */
@deprecated("old")
struct Old { x: int; }

struct Shape {
    old: Old;
    /// Its kind.
    kind: Kind = b;
    name: string = "a\r\nb";
}
