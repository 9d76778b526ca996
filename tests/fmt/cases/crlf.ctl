// CRLF line ends
package crlf;

/// A doc,
/// two lines.   
struct S {
    a: int;   // trailing spaces   
    /* block
       over lines */
    b: string;
}
