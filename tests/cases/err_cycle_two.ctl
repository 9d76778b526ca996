// Two separate cycles are two errors; a struct that only points into a cycle
// (Outer) is not itself reported.
struct Outer {
    a: A;
}

struct A { b: B; }
struct B { a: A; }

struct P { p: P; }
