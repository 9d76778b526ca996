// @idempotent after: claim's key changed, ping's key named, gone's
// removed, quote's expiry raised and its field renamed (same wire name),
// plain's added.
struct Leed { id: string; @json("trade") sort: string; }

controller leedz {
    @idempotent(key: "leed.id", key: "leed.sort")
    async fn claim { leed: Leed; }

    @idempotent(key: "n")
    async fn ping { n: int; }

    async fn gone { n: int; }

    @idempotent(key: "leed.sort", expires: 3600)
    fn quote { leed: Leed; } -> { price: int; }

    @idempotent
    async fn plain { n: int; }
}
