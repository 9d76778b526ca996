// A list default in brackets: lists, maps, structs and json take no default.
struct Photo {
    sizes: list<int> = [128, 256];
}
