// Two package declarations; the note points at the first.
package leedz;
package other;

struct S { x: int; }
