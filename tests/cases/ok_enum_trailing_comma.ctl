// Enums with and without a trailing comma after the last member, on one line
// and over several lines.
enum OneLine { a, b, c, }
enum NoTrailing { a, b, c }
enum Tall {
    north,
    south,
    east,
    west,
}
