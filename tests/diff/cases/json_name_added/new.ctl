package shop;

controller C {
    async fn f {
        @json("userId") user_id: string;
    }
}
