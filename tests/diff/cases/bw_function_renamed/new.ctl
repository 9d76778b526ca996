package shop;

controller C {
    async fn f2 {
        id: string;
    }
}
