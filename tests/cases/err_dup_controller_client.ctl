// A client with the name of a controller, and two clients with one name.
controller api {
    fn get { id: string; }
}

client api uses api;
client web;
client web;
