// A result must be '{ fields }' or a struct name; 'list<int>' is neither.
// The error is on 'list'; the rest of the type is not reported again.
controller db {
    fn all { x: int; } -> list<int>
}
