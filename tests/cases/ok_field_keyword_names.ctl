// Every keyword of the language as a field name, in a struct, in a payload
// and in a result, optional too, with defaults and annotations.
struct Keywords {
    client: string;
    map: int;
    package: bool;
    import: string;
    enum: string;
    struct: string;
    controller: string;
    uses: string;
    fn: string;
    async: bool;
    true: bool = false;
    false: bool = true;
    string: string;
    int: int = 1;
    float: float;
    bool: bool;
    json: json;
    list: list<string>;
}

controller keywords {
    fn call {
        @length(max: 8) client: string;
        map?: map<int>;
        async?: bool;
        list?: list<list<string>>;
        @json("the-fn") fn: string;
    } -> {
        package: string;
        struct?: Keywords;
        uses: list<string>;
    }
}
