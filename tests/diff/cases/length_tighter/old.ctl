package shop;

controller C {
    async fn f {
        @length(min: 1, max: 64) id: string;
    }
}
