// Doc comments come before annotations; the doc belongs to the thing the
// annotations are on: an enum, a member, a struct, a field, a client, a
// controller, a plain and an async function, and a result field.
/// Old colors.
@deprecated("use Palette")
enum Color {
    /// Red, on the wire as "RED".
    @json("RED") red,
    /// Blue.
    @deprecated @json("BLUE")
    blue
}

/// A palette.
@deprecated
struct Palette {
    /// The name, 1 to 40 code points.
    @length(min: 1, max: 40)
    @json("palette-name")
    name: string;
}

/// An old client.
@deprecated client legacy;

/// An old controller.
@deprecated("gone in v2")
controller oldie {
    /// An old function.
    @deprecated
    fn run {
        /// How many.
        @range(min: 1) count: int;
    } -> {
        /// How many were run.
        @range(min: 0) @json("run-count") done: int;
    }

    /// An old background job.
    @deprecated("use run")
    async fn runLater {}
}
