// An unknown type in a function payload and in an inline result.
controller db {
    fn get {
        key: Key;
    } -> {
        value: Value;
    }
}
