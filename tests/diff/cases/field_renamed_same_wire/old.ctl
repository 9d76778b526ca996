package shop;

controller C {
    async fn f {
        user: string;
    }
}
