package shop;

controller C {
    async fn f {
        a: int;
        b: string;
    }
}
