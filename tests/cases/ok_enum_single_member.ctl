// An enum with a single member, with and without a trailing comma, used as a
// field type with that member as default.
enum Only { it }
enum OnlyComma { it, }

struct UsesOnly {
    a: Only = it;
    b: OnlyComma;
}
