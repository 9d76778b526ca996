// Two broken fields next to each other: both lack their ':'. Both are
// reported: recovery ends at the ';' that closes the first.
struct A {
    x int; y int;
}
