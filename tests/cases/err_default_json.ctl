// A json field cannot have a default, not even a string or a number.
struct S {
    a: json = "{}";
    b: json = 0;
}
