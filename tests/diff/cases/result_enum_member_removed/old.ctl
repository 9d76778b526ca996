package shop;

enum Color { red, green, blue }

controller C {
    fn f {
        id: string;
    } -> {
        color: Color;
    }
}
