package shop;

controller C {
    async fn f {
        @length(max: 32) id: string;
    }
}
