// '-> E' where E is an enum: a result is an object, so it must be a struct.
enum Status { ok, failed }

controller db {
    fn put {
        id: string;
    } -> Status
}
