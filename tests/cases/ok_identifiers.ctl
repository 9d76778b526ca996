// Identifier shapes: a leading underscore, digits after the first character,
// upper and lower case (names are case-sensitive: `Item` and `item` differ,
// and a keyword in another case, `Struct`, is an ordinary name), and names
// that merely start with a keyword (`structure`, `mapping`, `fnord`). The
// package matters: without one, `_Private` would be a name C reserves
// (err_c_reserved_bare.ctl).
package idents;

enum _Private { _a, b2, C_3 }

struct Item {
    item: string;
    Item: int;
    ITEM: bool;
    _x: int;
    x_1_2: float;
    structure: string;
    mapping: map<string>;
    fnord: int;
    listing: list<int>;
}

struct Struct { Map: string; Package: int; }
struct item { Item: Item; }

controller Item_Service2 {
    fn get_item_v2 { _id: string; } -> item
}
