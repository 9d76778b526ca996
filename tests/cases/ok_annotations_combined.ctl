// Several annotations on one thing, on one line or one per line, in any
// order; empty parentheses on @deprecated; a message with escapes and
// non-ASCII text; annotations on a member in the middle of a line.
struct Form {
    @deprecated @json("user-name") @length(min: 1, max: 32) user_name: string;
    @range(min: 0, max: 150)
    @json("age-years")
    @deprecated("ask for the birth date \"instead\" — it does not go stale")
    age?: int;
    @length(max: 3) @deprecated() @json("tag-list") tags: list<string>;
    @json("ratio") @range(max: 1) ratio: float = 0.5;
}

enum Choice { a, @deprecated @json("B") b, @json("C") @deprecated("no") c, d }
