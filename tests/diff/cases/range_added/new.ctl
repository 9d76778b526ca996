package shop;

controller C {
    async fn f {
        @range(max: 100) n: int;
    }
}
