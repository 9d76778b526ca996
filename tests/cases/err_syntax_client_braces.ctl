// A client has no body: it ends with ';' after its 'uses' list.
controller db {
    fn get { id: string; }
}

client api uses db {
}
