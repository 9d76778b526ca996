// Two broken fields next to each other: both lack their ':'. Each should be
// reported. (KNOWN BUG: ctlc reports only the first; lemon's error recovery
// mutes errors for three tokens after a resync, and 'y int' falls inside.)
struct A {
    x int; y int;
}
