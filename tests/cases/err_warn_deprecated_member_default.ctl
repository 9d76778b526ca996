// A default that names a deprecated enum member warns like any other use of
// a deprecated thing; a deprecated field may use it quietly.
enum Color { red, @deprecated("use red") crimson }

struct Paint {
    color: Color = crimson;
    @deprecated old: Color = crimson;
}
