// A keyword that is not a type name used as a type ('struct', 'client'):
// it falls back to an identifier there, and no type has that name.
struct S {
    a: struct;
    b: client;
}
