// Clients with `uses`: one controller, several, one function of a controller
// (`Controller.function`), a mix of both, the same controller whole and by
// function, and a controller declared after the client.
client one uses db;
client two uses db, mail;
client just_fn uses db.get;
client fns uses db.get, db.put, mail.send;
client mixed uses mail, db.get;
client whole_and_part uses db, db.get;
client forward uses later, later.run;

controller db {
    fn get { key: string; } -> { value?: string; }
    fn put { key: string; value: string; }
}

controller mail {
    async fn send { to: string; }
}

controller later {
    fn run {}
}
