package shop;

enum Color { red, green, blue }

controller C {
    async fn f {
        color: Color;
    }
}
