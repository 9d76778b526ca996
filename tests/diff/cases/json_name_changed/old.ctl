package shop;

controller C {
    async fn f {
        @json("user-id") user_id: string;
    }
}
