// A controller or a client used as a field type.
controller db {
    fn get { id: string; }
}

client api uses db;

struct S {
    a: db;
    b: list<api>;
}
