package shop;

enum Color { red, green, blue, black }

controller C {
    async fn f {
        color: Color;
    }
}
