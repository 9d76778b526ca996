// A list field cannot have a default.
struct S {
    tags: list<string> = "a";
}
