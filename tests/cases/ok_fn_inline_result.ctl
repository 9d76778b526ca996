// Plain fn with an inline result `-> { ... }`: one field, several fields,
// optional and defaulted result fields, nested containers, an empty result
// `-> {}` (an empty object, not null), and the `->` on its own line.
enum Verdict { ok, bad }

controller checks {
    fn one { x: int; } -> { y: int; }
    fn many {} -> {
        verdict: Verdict = ok;
        reasons?: list<string>;
        scores: map<list<float>>;
        raw?: json;
    }
    fn empty_result { x: int; } -> {}
    fn split_lines
        { x: int; }
        ->
        { y: int; }
}
