package shop;

enum Color { red, green }

controller C {
    fn f {
        id: string;
    } -> {
        color: Color;
    }
}
