package shop;

controller C {
    async fn f {
        user_id: string;
    }
}
