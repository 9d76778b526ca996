// A payload field that becomes 'function' on the wire through @json. The
// field 'function' renamed to something else is fine.
controller worker {
    fn run {
        @json("function") fname: string;
    }
    fn walk {
        @json("fn") function: string;
    }
}
