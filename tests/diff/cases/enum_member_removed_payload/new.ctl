package shop;

enum Color { red, green }

controller C {
    async fn f {
        color: Color;
    }
}
