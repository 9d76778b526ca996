package shop;

controller C {
    async fn f {
        ids: list<string>;
    }
}
