package shop;

controller C {
    async fn f {
        @range(min: 5, max: 20) n: int;
    }
}
