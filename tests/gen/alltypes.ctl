// alltypes.ctl: every type, nesting, optional, default and constraint, for
// the runtime's tests (round trips, hostile events, interop, fuzzing).
package t;

/// Colours; `blue` travels as "deep-blue".
enum Color { red, green, @json("deep-blue") blue }

/// A small nested struct.
struct Inner {
    name: string;
    n?: int;
    tags?: list<string>;
}

/// One field of every kind.
struct All {
    s: string;
    i: int;
    f: float;
    b: bool;
    j: json;
    c: Color;
    inner: Inner;
    ls: list<string>;
    li: list<int>;
    lf: list<float>;
    lb: list<bool>;
    lc: list<Color>;
    linner: list<Inner>;
    lls: list<list<string>>;
    lj: list<json>;
    ms: map<string>;
    mi: map<int>;
    minner: map<Inner>;
    mls: map<list<string>>;
    os?: string;
    oi?: int;
    of?: float;
    ob?: bool;
    oj?: json;
    oc?: Color;
    oinner?: Inner;
    ols?: list<string>;
    oms?: map<int>;
    @json("wire-name") renamed: string = "dflt";
    di: int = -7;
    df: float = 2.5;
    db: bool = true;
    dc: Color = blue;
    @length(min: 1, max: 8) ss: string = "x";
    @range(min: -100, max: 100) ri: int = 0;
    @range(min: 0.5, max: 1.5) rf: float = 1.0;
    @length(max: 3) lsmall: list<int>;
    @length(min: 1) mnonempty?: map<bool>;
}

/// A list that holds itself, through a list.
struct Tree {
    label: string;
    kids: list<Tree>;
}

/// The test controller: echoes what it gets, or fails as told.
controller echo {
    /// Returns its argument.
    fn all { v: All; } -> All

    /// Returns a tree.
    fn tree { t: Tree; } -> Tree

    /// Flat payload, inline result.
    fn flat {
        @length(min: 1, max: 64) id: string;
        n: int;
        x?: float;
        c: Color = red;
    } -> {
        id: string;
        n: int;
        x?: float;
        c: Color;
    }

    /// Fire and forget.
    async fn fire { id: string; n: int; }

    /// Fails with the given errorType (or none, for the default).
    fn fail { error_type?: string; message: string; }

    /// No payload, no result.
    fn ping {}
}
