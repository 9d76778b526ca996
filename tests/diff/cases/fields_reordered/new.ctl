package shop;

controller C {
    async fn f {
        b: string;
        a: int;
    }
}
