// async fn: fire-and-forget functions (InvocationType Event) with payloads of
// every shape, documented and annotated, next to a plain fn.
controller jobs {
    async fn enqueue { id: string; }
    /// With a rich payload.
    async fn bulk {
        ids: list<string>;
        options?: map<json>;
        @range(min: 1, max: 10) priority: int = 5;
    }
    @deprecated async fn old {}
    fn status { id: string; } -> { done: bool; }
    async fn nothing {}
}
