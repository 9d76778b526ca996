// Integer defaults: zero, positive, negative, and both ends of the signed
// 64-bit range.
struct Ints {
    zero: int = 0;
    positive: int = 42;
    negative: int = -7;
    minus_zero: int = -0;
    max: int = 9223372036854775807;
    min: int = -9223372036854775808;
    near_max: int = 9223372036854775806;
    near_min: int = -9223372036854775807;
}
