// '->' with neither a '{' nor a struct name after it.
controller db {
    fn get {
        id: string;
    } ->
}
