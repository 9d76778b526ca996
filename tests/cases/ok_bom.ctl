// A file that starts with a UTF-8 byte order mark: the mark is ignored.
// The package keyword right after it is the first token.
package bom;

struct Plain { text: string = "é"; }
