// A built-in type as a result: 'string' is not a struct. (POOR MESSAGE:
// ctlc calls it an unknown type, though 'string' is a known built-in type.)
controller db {
    fn name { id: string; } -> string
}
