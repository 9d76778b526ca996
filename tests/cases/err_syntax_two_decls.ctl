// Two syntax errors in two different declarations: both are reported, and
// the declaration between them is read without complaint.
struct A {
    x int;
}

struct B {
    y: int;
}

enum C { red green }
