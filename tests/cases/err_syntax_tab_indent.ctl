// Tab indentation: the column counts the tab as one byte, and the caret
// line repeats the tab so that the caret lines up.
struct S {
	x:	int
	y: int;
}
