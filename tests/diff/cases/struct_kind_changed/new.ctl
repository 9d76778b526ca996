package shop;

enum Item { a, b }

controller C {
    async fn f {
        item: Item;
    }
}
