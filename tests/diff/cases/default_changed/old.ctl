package shop;

controller C {
    async fn f {
        currency: string = "USD";
    }
}
