package shop;

enum Color { @json("RED") red, green, blue }

controller C {
    async fn f {
        color: Color;
    }
}
