// 'uses C.f' where controller C has no function f; the note shows C.
controller db {
    fn get { id: string; }
    fn put { id: string; }
}

client api uses db.get, db.delete;
