// Optional fields (`name?: T`) of every kind of type: scalars, json, list,
// map, nested containers, an enum and a struct; in a struct, a payload and a
// result. A required field next to them for contrast.
enum Tier { free, pro }
struct Address { street: string; }

struct Profile {
    name?: string;
    age?: int;
    score?: float;
    active?: bool;
    extra?: json;
    tags?: list<string>;
    attrs?: map<string>;
    matrix?: list<map<list<int>>>;
    tier?: Tier;
    address?: Address;
    required: string;
}

controller profiles {
    fn update {
        id: string;
        name?: string;
        address?: Address;
        tags?: list<string>;
    } -> {
        previous?: Profile;
        changes?: map<json>;
    }
}
