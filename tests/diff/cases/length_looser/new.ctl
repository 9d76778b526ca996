package shop;

controller C {
    async fn f {
        @length(max: 64) id: string;
    }
}
