package shop;

controller C {
    async fn f {
        id: string;
        @length(max: 9) tag: string;
    }
}
