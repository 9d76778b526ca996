// @range on float fields: float bounds, integer bounds (an integer fits a
// float), a mix of both, min equal to max, exponent bounds, and defaults on
// the bounds.
struct Measures {
    @range(min: 0.5) half_up: float = 0.5;
    @range(max: 2.5) up_to: float = 2;
    @range(min: -1.5, max: 1.5) symmetric: float = -1.5;
    @range(min: 0, max: 100) percent: float = 100;
    @range(min: 0, max: 1.0) mixed: float = 1;
    @range(min: 1.5, max: 1.5) fixed: float = 1.5;
    @range(min: 2, max: 2) fixed_int: float = 2.0;
    @range(min: -1e308, max: 1e308) wide: float;
    @range(min: 1E-3, max: 2.5e+2) exp_bounds: float = 0.001;
    @range(min: 0.0) maybe?: float;
}

controller measures {
    fn record {
        @range(min: -273.15) celsius: float;
    } -> {
        @range(min: 0, max: 1) ratio: float;
    }
}
