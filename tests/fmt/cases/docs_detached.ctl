/// First line.

// a plain comment
/// Second line.
struct S { x: int; }
struct T {
    /// doc of a
    @json("A")
    /// between annotation and name: documents nothing
    a: int;
}
struct U {
    @json("B") /// d

    /// another block: two blocks, both document nothing
    b: int;
}
