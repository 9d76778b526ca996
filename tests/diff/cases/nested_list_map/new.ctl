package shop;

struct Line {
    @range(min: 2) qty: int;
    sku: string;
    batch: string;
}

struct Order {
    lines: list<Line>;
    notes?: map<Line>;
}

controller C {
    async fn f {
        order: Order;
    }
}
