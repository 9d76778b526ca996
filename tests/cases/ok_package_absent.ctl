// A spec without a package declaration: legal, the generated C names simply
// have no prefix. The first item is a declaration.
enum Size { small, medium, large }

struct Shirt {
    size: Size;
    color: string;
}
