// Spec names that generated C spells alike: a struct named like an enum's
// to_string function, a struct named like a list type, structs named like
// the readers and writers of another struct, an enum member named like the
// enum's own function, and a function named like another function's
// dispatch entry (issue 10's collisions under the names of names.h).
package p;

enum E { a, b }
struct E_to_string { x: int; }

struct Pair { tags: list<string>; }
struct list_string { y: int; }

struct S { z: int; }
struct S_from_json { w: int; }
struct S_to_json { w: int; }

enum Mode { from_string, to_string }

struct map_int_entry { v: int; }
struct Box { m: map<int>; }

controller K {
    fn g {}
    fn g_invoke {}
}
