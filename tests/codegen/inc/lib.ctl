// lib.ctl: types that main.ctl imports.
package lib;

/// Money in minor units.
struct Money {
    @range(min: 0) cents: int;
    @length(min: 3, max: 3) currency: string = "USD";
}

enum Level { low, high }
