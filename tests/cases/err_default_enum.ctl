// Defaults that do not fit an enum field: a string with a member's name, a
// number.
enum Color { red, green }

struct S {
    a: Color = "red";
    b: Color = 0;
}
