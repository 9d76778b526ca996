// The '?' of an optional field goes after the name, not after the type.
struct S {
    zip: string?;
}
