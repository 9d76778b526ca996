package shop;

controller C {
    async fn f {
        @length(min: 1, max: 32) id: string;
    }
}
