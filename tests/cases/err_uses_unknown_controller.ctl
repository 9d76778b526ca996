// 'uses' naming a controller that does not exist, in a client and in a
// controller, alone and with a function.
controller db {
    fn get { id: string; }
}

client api uses db, mailer;

controller worker uses dbase.get {
    fn run { x: int; }
}
