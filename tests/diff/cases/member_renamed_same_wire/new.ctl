package shop;

enum Color { @json("red") crimson, green, blue }

controller C {
    async fn f {
        color: Color;
    }
}
