// @idempotent: the whole payload as the key, two keys (one nested, through
// a wire name) with an expiry, an enum key.
enum Tier { gold, silver }

struct Leed {
    @json("leed/id") id: string;
    tier: Tier;
    score: float;
}

controller leedz {
    @idempotent
    async fn ping { n: int; }

    @idempotent(key: "leed.id", key: "trade", expires: 86400)
    fn claim { leed: Leed; trade: string; } -> { ok: bool; }

    @idempotent(key: "leed.tier", key: "leed.score", expires: 1)
    async fn tier { leed: Leed; }
}
