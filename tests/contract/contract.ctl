// contract.ctl: a spec for the tests of what travels only when it keeps the
// contract: stubs refuse bad arguments before sending, controllers refuse
// their handlers' bad results, both with the receiver's words.
package c;

enum Format { jpeg, png }

struct Size {
    @range(min: 1) width: int;
    @range(min: 1) height: int;
}

controller media {
    /// Resizes; the handler breaks its own result when name asks it to
    /// ("break-range", "break-enum", "break-string").
    fn resize {
        @range(min: 1, max: 100) quality: int;
        @length(min: 1, max: 8) sizes: list<Size>;
        format: Format;
        @length(min: 1, max: 16) name: string;
        note?: string;
        @range(min: 0, max: 1) ratio: float = 0.5;
        tags?: map<string>;
        extra?: json;
    } -> {
        @range(min: 1) width: int;
        format: Format;
        label: string;
    }

    /// Counts what arrives.
    async fn thumbnail { name: string; format: Format; }

    /// No result.
    fn purge { name: string; }
}

/// A caller of everything media answers.
client uploader uses media;

/// A second controller, for the routing of `BIN invoke` by the event's
/// function: record is audit's alone, purge is media's too.
controller audit {
    async fn record { what: string; }
    fn purge { name: string; }
}
