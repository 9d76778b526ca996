/// A package's doc comment.
package sample;

import "common.ctl";

// A plain comment.
//// Not a doc comment either.
/* A block
   comment */
enum Color { red, @json("gr\u00e9en") green }

@deprecated("use Point2")
struct Point {
    @range(min: -1.5, max: 1e3) x: float = 0;
    tags?: map<list<string>>;
    on: bool = true;
    @bogus c: Color = red;
}

@retries(2) @on_failure(sqs: "dead")
controller shapes {
    async fn draw { p: Point; } -> { ok: bool; }
}

client viewer uses shapes.draw;
