package shop;

struct Line {
    @range(min: 2) qty: int;
    sku: string;
}

struct Order {
    lines: list<Line>;
    notes?: map<Line>;
}

controller C {
    fn f {
        order: Order;
    } -> {
        order: Order;
    }
}
