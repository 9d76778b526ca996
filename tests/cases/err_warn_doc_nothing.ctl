// Doc comments that document nothing: one at the end of the file, one inside
// a struct after its last field. Warnings only, exit 0.
/// The leed.
struct Leed {
    id: string;
    /// Nothing follows this one.
}

/// Dangling at the end.
