// Imported by several ok_ cases: money types, with a package of its own.
package common;

/// An ISO currency.
enum Currency { EUR, USD, GBP }

/// An amount of money in minor units.
struct Money {
    cents: int;
    currency: Currency = EUR;
}
