package shop;

controller C {
    async fn f {
        price: float;
    }
}
