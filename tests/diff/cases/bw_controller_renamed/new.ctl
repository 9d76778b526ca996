package shop;

controller C2 {
    async fn f {
        id: string;
    }
}
