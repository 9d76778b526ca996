// One below INT64_MIN is out of range (INT64_MIN itself is fine).
struct S {
    ok: int = -9223372036854775808;
    a: int = -9223372036854775809;
}
