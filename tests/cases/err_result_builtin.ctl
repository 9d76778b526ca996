// A built-in type as a result: 'string' is not a struct, and the message
// says what a result may be.
controller db {
    fn name { id: string; } -> string
}
