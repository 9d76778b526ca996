// '\u' needs four hex digits: 'G' is not one, and '\u12' is too short.
struct S {
    a: string = "x\u12G4";
    b: string = "\u12";
}
