// A 'uses' list that names a target twice: a warning (exit 0). 'db' and
// 'db.get' are different targets.
controller db {
    fn get { id: string; }
}

client api uses db, db.get, db, db.get;
