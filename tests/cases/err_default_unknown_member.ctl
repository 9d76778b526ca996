// An enum default that names no member; the note shows the enum.
enum Color { red, green }

struct S {
    a: Color = blue;
    b: Color = Red;
}
