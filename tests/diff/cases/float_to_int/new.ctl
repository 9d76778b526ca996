package shop;

controller C {
    async fn f {
        price: int;
    }
}
