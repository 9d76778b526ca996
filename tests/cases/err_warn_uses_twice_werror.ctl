// ctlc: --werror
// A 'uses' list that names a target twice, with --werror: exit 1.
controller db {
    fn get { id: string; }
}

controller worker uses db, db {
    fn run { x: int; }
}
