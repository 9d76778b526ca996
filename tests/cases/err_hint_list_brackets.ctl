// A list type written the way other languages do.
struct Photo {
    sizes: [int];
}
