// An enum default is the member's name, not its @json wire name.
enum Color { @json("crimson") dark_red, green }

struct S {
    a: Color = crimson;
}
