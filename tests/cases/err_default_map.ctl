// A map field cannot have a default.
struct S {
    attrs: map<int> = 0;
}
