// A function without a name, and 'async' without 'fn': both are reported.
controller mail {
    fn { to: string; }
    async notify { to: string; }
}
