package shop;

controller C {
    async fn f {
        @range(min: 1) n: int;
    }
}
