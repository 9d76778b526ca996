// A package that starts with '_' starts every C name with it, and C reserves
// such names at file scope (C11 7.1.3); found by tests/props.
package _p;

struct S { x: int; }
