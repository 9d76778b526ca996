// A function without a name, and 'async' without 'fn'. (KNOWN BUG: only the
// first is reported; the second falls in the tokens muted after a resync.)
controller mail {
    fn { to: string; }
    async notify { to: string; }
}
