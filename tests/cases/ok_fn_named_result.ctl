// Plain fn with `-> StructName`: a struct declared before, one declared after,
// an empty struct, a recursive struct, and the same struct as the result of
// several functions and as a payload field.
struct Before { id: string; }

controller named {
    fn a {} -> Before
    fn b { x: int; } -> After
    fn c {} -> Empty
    fn d { node: Node; } -> Node
    fn e {} -> Before
}

struct After { ok: bool; before: Before; }
struct Empty {}
struct Node { children: list<Node>; }
