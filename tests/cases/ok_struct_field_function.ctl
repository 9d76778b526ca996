// A field named `function` is fine in a struct (only a function payload
// reserves that wire name for the dispatch key), also when that struct is
// the type of a payload field (it is nested, not at the top level), and in an
// inline result. Names close to it are fine in a payload.
struct Task {
    function: string;
    args: list<json>;
}

controller runner {
    fn run {
        task: Task;
        function_name: string;
        functions: list<string>;
        Function: string;
    } -> {
        function: string;
        ok: bool;
    }
    fn describe {} -> Task
}
