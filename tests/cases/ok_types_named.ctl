// Enum and struct types used by name: declared before or after their use, as
// a field, as a list or map element, in a payload and in a result.
struct Order {
    status: Status;
    customer: Customer;
    history: list<Status>;
    by_id: map<Customer>;
}

enum Status { open, paid, shipped }

struct Customer {
    id: string;
}

controller orders {
    fn find { status: Status; } -> { found: list<Order>; }
    fn one { id: string; } -> Order
}
