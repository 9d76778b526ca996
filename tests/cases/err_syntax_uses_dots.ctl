// A target is CONTROLLER or CONTROLLER.FUNCTION, nothing deeper; and two
// targets need a ',' between them. Two errors in two declarations.
controller db {
    fn get { id: string; }
}

client api uses db.get.more;
client web uses db db.get;
