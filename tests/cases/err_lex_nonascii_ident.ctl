// Identifiers are ASCII: a field named 'prénom' stops at the 'é', which is
// reported as one character (two bytes; the column counts bytes).
struct S {
    prénom: string;
    nom: string;
}
