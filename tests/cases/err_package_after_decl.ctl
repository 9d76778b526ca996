// A package declaration after a declaration.
struct S { x: int; }

package leedz;
