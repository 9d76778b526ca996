// The same field name twice in an inline result. A result field may share a
// name with a payload field.
controller db {
    fn get {
        id: string;
    } -> {
        id: string;
        found: bool;
        found: bool;
    }
}
