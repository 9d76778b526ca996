// The same field name twice in a function's payload.
controller mail {
    fn send {
        to: string;
        body: string;
        to: list<string>;
    }
}
