// The same field name twice in a struct, even with another type.
struct S {
    id: string;
    name: string;
    id?: int;
}
