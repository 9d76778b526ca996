// A non-ASCII character where a declaration's name belongs (a 4-byte
// character, U+1F600).
struct 😀 {
    x: int;
}
