package shop;

enum Color { red, green, blue, black }

controller C {
    fn f {
        id: string;
    } -> {
        color: Color;
    }
}
