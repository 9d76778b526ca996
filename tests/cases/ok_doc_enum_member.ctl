// Doc comments on an enum and on each of its members; a member without a doc
// has none, and a doc on a member on the same line as others still attaches to
// the member that follows it.
/// How a parcel travels.
enum Shipping {
    /// Standard ground shipping.
    ground,
    /// Next business day.
    express,
    pickup,
    /// Collected at a locker.
    locker
}

/// Two members, one with a doc, on one line each.
enum Flag { /// Set.
    on, off }
