// A payload field named 'function' clashes with the dispatch key. The same
// name is fine in a struct and in a result.
struct Job {
    function: string;
}

controller worker {
    fn run {
        function: string;
        job: Job;
    } -> {
        function: string;
    }
}
