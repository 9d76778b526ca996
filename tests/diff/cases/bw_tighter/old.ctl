package shop;

controller C {
    async fn f {
        @range(min: 0) n: int;
    }
}
