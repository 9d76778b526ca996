// list and map of every element type, nested in each other, closing `>>`
// and `>>>` written without spaces.
enum E { x }
struct S { e: E; }

struct Nested {
    ls: list<string>;
    li: list<int>;
    lf: list<float>;
    lb: list<bool>;
    lj: list<json>;
    le: list<E>;
    lst: list<S>;
    ms: map<string>;
    mi: map<int>;
    mf: map<float>;
    mb: map<bool>;
    mj: map<json>;
    me: map<E>;
    mst: map<S>;
    lml: list<map<list<int>>>;
    mlm: map<list<map<S>>>;
    ll: list<list<string>>;
    mm: map<map<E>>;
    deep: list<list<list<list<map<map<map<map<json>>>>>>>>;
    spaced: list < map < list < string > > >;
}
