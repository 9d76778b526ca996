// Two functions with one name in a controller, even when one is async.
// Functions of different controllers may share a name.
controller mail {
    fn send { to: string; }
    fn other { x: int; }
    async fn send { to: string; }
}

controller sms {
    fn send { to: string; }
}
