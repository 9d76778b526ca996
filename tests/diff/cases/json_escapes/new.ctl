package shop;

controller C {
    async fn f {
        @json("a\\b") x: string;
    }
}
