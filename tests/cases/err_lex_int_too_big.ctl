// One past INT64_MAX is out of range (INT64_MAX itself is fine).
struct S {
    ok: int = 9223372036854775807;
    a: int = 9223372036854775808;
}
