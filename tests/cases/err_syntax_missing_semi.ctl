// A field without its closing ';': the error is at the next token and names
// what could have ended the field.
struct Leed {
    id: string
    seller: string;
}
