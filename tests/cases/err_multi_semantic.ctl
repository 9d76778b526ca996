// Many semantic errors in one file, one of each kind: every one is reported,
// once, with no follow-on errors.
package multi;

@color("red")
struct Leed {
    id: string;
    id: string;
    price: int = "free";
    owner: Owner;
    @length(max: 3) count: int;
}

enum Trade { dj, dj }

controller db uses nothing {
    fn get { function: string; } -> Trade
    async fn put { id: string; } -> { ok: bool; }
    fn get { id: string; }
}

struct Loop { again: Loop; }

client db;
