// @idempotent before: a keyed one, a whole-payload one, one to be removed,
// one whose expiry changes, one without.
struct Leed { id: string; @json("trade") kind: string; }

controller leedz {
    @idempotent(key: "leed.id")
    async fn claim { leed: Leed; }

    @idempotent
    async fn ping { n: int; }

    @idempotent(key: "n")
    async fn gone { n: int; }

    @idempotent(key: "leed.kind", expires: 60)
    fn quote { leed: Leed; } -> { price: int; }

    async fn plain { n: int; }
}
