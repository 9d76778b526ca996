// Float defaults written as JSON numbers: a fraction, exponents in both
// cases and with a sign, the largest magnitude around 1e308, tiny values,
// and integer literals (which fit a float field) up to the 64-bit limits.
struct Floats {
    fraction: float = 1.5;
    neg_exp: float = -2e3;
    huge: float = 1e308;
    huge_neg: float = -1.7976931348623157e308;
    small_upper: float = -2.5E-3;
    plus_exp: float = 1E+2;
    zero_frac: float = 0.0;
    zero_exp: float = 0e0;
    tiny: float = 5e-324;
    negative_zero: float = -0.0;
    from_int: float = 3;
    from_zero: float = 0;
    from_negative_int: float = -12;
    from_int_max: float = 9223372036854775807;
    from_int_min: float = -9223372036854775808;
}
