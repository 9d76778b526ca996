// @length on list and map fields: min only, max only, both, min equal to max,
// on optional and nested containers, in a struct and a payload.
struct Bags {
    @length(min: 1) tags: list<string>;
    @length(max: 10) ids: list<int>;
    @length(min: 1, max: 10) both: list<map<string>>;
    @length(min: 3, max: 3) triple: list<float>;
    @length(min: 1) attrs: map<string>;
    @length(max: 100) counts: map<int>;
    @length(min: 0, max: 5) small: map<list<string>>;
    @length(min: 2, max: 2) pair: map<bool>;
    @length(max: 4) maybe_list?: list<string>;
    @length(min: 1) maybe_map?: map<json>;
}

controller bags {
    fn put {
        @length(min: 1, max: 25) items: list<string>;
    } -> {
        @length(max: 25) rejected: map<string>;
    }
}
