// A cycle through three structs: reported once, with the whole path.
struct A {
    b: B;
}

struct B {
    x: int;
    c: C;
}

struct C {
    a: A;
}
