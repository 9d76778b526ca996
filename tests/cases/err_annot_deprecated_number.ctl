// @deprecated takes an optional string reason: not a number, not a bool.
@deprecated(1)
struct S { x: int; }

@deprecated(true)
enum E { a }
