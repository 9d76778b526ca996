// A result must be '{ fields }' or a struct name; 'list<int>' is neither.
// (POOR MESSAGE: ctlc reports the '<' as if a new function were expected.)
controller db {
    fn all { x: int; } -> list<int>
}
