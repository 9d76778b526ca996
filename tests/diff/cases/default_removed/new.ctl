package shop;

controller C {
    async fn f {
        n: int;
    }
}
