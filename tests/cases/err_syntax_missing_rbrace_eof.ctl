// A struct that is still open at the end of the file: the error is at end of
// file and a note points at the '{' that was never closed.
struct Leed {
    id: string;
    seller: string;
