// '=' where a field wants ':'.
struct Photo {
    width = int;
}
