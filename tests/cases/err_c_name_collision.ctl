// Names that are distinct in the spec but not in the generated C: a struct
// named like a function's payload type, an enum named like another enum's
// constant, a field named like an optional field's presence flag, and a
// field named like the C spelling of a keyword field ('int' is 'int_' in C).
package p;

controller C { fn f { x: int; } }
struct C_f_args { y: string; }

enum E { m }
enum E_m { a }

struct S {
    x?: int;
    has_x: bool;
    int: int;
    int_: int;
}
