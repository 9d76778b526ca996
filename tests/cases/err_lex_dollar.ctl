// An ASCII character that starts no token ('$' in a field name).
struct S {
    $price: int;
    name: string;
}
