// An imported file with a syntax error.
struct Broken {
    x int;
}
