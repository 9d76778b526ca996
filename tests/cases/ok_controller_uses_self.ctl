// A controller that uses itself or one of its own functions: a Lambda may
// invoke itself asynchronously (fan-out, retries), so this is allowed.
controller fanout uses fanout.chunk {
    fn start { items: list<string>; }
    async fn chunk { items: list<string>; }
}

controller loop uses loop {
    async fn again { n: int; }
}
