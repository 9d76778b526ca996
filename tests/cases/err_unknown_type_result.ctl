// '-> Name' naming a type that does not exist.
controller db {
    fn get {
        id: string;
    } -> Leed
}
