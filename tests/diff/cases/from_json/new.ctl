package shop;

controller C {
    async fn f {
        meta: list<int>;
    }
}
