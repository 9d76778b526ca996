// @range on int fields: min only, max only, both, min equal to max, negative
// bounds, the full 64-bit range, and defaults on the bounds (inclusive).
struct Counters {
    @range(min: 0) non_negative: int;
    @range(max: 100) at_most_100: int;
    @range(min: 1, max: 12) month: int = 1;
    @range(max: 12, min: 1) reversed: int = 12;
    @range(min: 7, max: 7) seven: int = 7;
    @range(min: -10, max: -1) negative: int = -10;
    @range(min: -9223372036854775808, max: 9223372036854775807) everything: int;
    @range(min: 9223372036854775807) at_int_max: int = 9223372036854775807;
    @range(max: -9223372036854775808) at_int_min: int = -9223372036854775808;
    @range(min: 0) maybe?: int;
}
