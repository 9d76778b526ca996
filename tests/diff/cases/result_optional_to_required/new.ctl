package shop;

controller C {
    fn f {
        id: string;
    } -> {
        n: int;
    }
}
