package shop;

enum Color { red, green, blue, cyan }

controller C {
    fn f {
        id: string;
    } -> {
        colors: list<Color>;
    }
}
