// The key paths of @idempotent: each names a required scalar field without
// a default, through structs.
struct Leed {
    id: string;
    tags: list<string>;
    attrs: map<string>;
    raw: json;
    note?: string;
    inner?: Leed;
}

controller bad {
    @idempotent(key: "leed.idd")
    async fn a { leed: Leed; }

    @idempotent(key: "led.id")
    async fn b { leed: Leed; }

    @idempotent(key: "leed")
    async fn c { leed: Leed; }

    @idempotent(key: "leed.tags", key: "leed.attrs", key: "leed.raw")
    async fn d { leed: Leed; }

    @idempotent(key: "leed.note")
    async fn e { leed: Leed; }

    @idempotent(key: "leed.inner.id")
    async fn f { leed: Leed; }

    @idempotent(key: "n.x")
    async fn g { n: int; }

    @idempotent(key: "")
    async fn h { n: int; }

    @idempotent(key: "leed..id")
    async fn i { leed: Leed; }

    @idempotent(key: "n")
    async fn j { n: int = 3; }

    @idempotent(key: "n", key: "n")
    async fn k { n: int; }

    @idempotent(key: "x")
    async fn l {}
}
