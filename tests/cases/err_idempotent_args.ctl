// The arguments of @idempotent: key: "path" (repeated) and expires: SECONDS.
controller bad {
    @idempotent("n")
    async fn a { n: int; }

    @idempotent(key: 1)
    async fn b { n: int; }

    @idempotent(expires: 0)
    async fn c { n: int; }

    @idempotent(expires: 31536001)
    async fn d { n: int; }

    @idempotent(kee: "n")
    async fn e { n: int; }

    @idempotent(key: "n", expires: 60, expires: 60)
    async fn f { n: int; }

    @idempotent(expires: "1h")
    async fn g { n: int; }
}
