// @length on string fields: min only, max only, both, min equal to max, zero
// bounds, the arguments in either order, and defaults inside the bounds
// (counted in code points, inclusive at both ends).
struct Names {
    @length(min: 1) min_only: string;
    @length(max: 64) max_only: string;
    @length(min: 1, max: 64) both: string;
    @length(max: 64, min: 1) reversed: string;
    @length(min: 2, max: 2) exactly_two: string;
    @length(min: 0) zero_min: string;
    @length(max: 0) always_empty: string;
    @length(min: 0, max: 0) empty_too: string = "";
    @length(min: 3, max: 5) at_min: string = "abc";
    @length(min: 3, max: 5) at_max: string = "abcde";
    @length(max: 9223372036854775807) huge: string;
    @length(min: 1) maybe?: string;
}
