// The generated headers are C++ too (extern "C"), and C++ does not let a
// member of a struct take the name of a type that a member of the same
// struct uses ("declaration changes meaning"); C does. Found by tests/props
// (g++ -fsyntax-only on every header).
struct A { x: int; }
struct B { A: A; }                       // A A;
struct C { y: int; int64_t: string; }    // int64_t y; const char *int64_t;
struct D { j: json; cJSON?: json; }      // cJSON *j; cJSON *cJSON;
struct E { list_int: list<int>; }        // list_int list_int;

controller K {
    fn f { A?: A; } -> { list_int: list<int>; }
}
