// A struct, an enum, a controller and a client share one name space: each
// later use of the name 'Leed' is an error with a note at the first one.
struct Leed {
    id: string;
}

enum Leed { a, b }

controller Leed {
    fn get { id: string; }
}

client Leed;
