package shop;

controller C {
    async fn f {
        currency: string = "EUR";
    }
}
