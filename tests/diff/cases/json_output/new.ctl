package shop;

controller C {
    async fn f {
        id?: string;
        @length(max: 5) tag: string;
        note?: string;
    }
}
