package shop;

controller C {
    fn f {
        id: string;
    } -> {
        ok: bool;
    }
}
