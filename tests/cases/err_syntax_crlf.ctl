// CRLF line endings: the \r is not part of the shown line nor the column.
struct S {
    x int;
}
