package shop;

controller C {
    async fn f {
        @range(min: 0, max: 10) n: int;
    }
}
