package shop;

controller C {
    async fn f {
        x: Nope;
    }
}
