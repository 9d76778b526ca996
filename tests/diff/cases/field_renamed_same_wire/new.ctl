package shop;

controller C {
    async fn f {
        @json("user") owner: string;
    }
}
