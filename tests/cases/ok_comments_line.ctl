// `//` comments after every kind of token, on lines of their own and at the
// end of lines, including one on the last line without a newline after it.
// A comment may hold anything: /* not a block */ /// not a doc here { } ; "
package // after the keyword
  commented // after the name
  ; // after the semicolon

// Before a declaration.
enum // a
  Mode // b
  { // c
    a, // d
    b // e
  } // f

struct // g
  Box // h
  { // i
    x // j
    ? // k
    : // l
    list // m
    < // n
    int // o
    > // p
    ; // q
    y: Mode // r
    = // s
    b // t
    ; // u
    @length // v
    ( // w
    min // x
    : // y
    1 // z
    ) // aa
    s: string;
  }

client // ab
  c // ac
  uses // ad
  k // ae
  . // af
  f // ag
  ; // ah

controller k { // ai
  async // aj
  fn // ak
  f // al
  {} // am
  fn g {} -> // an
  Box // ao
}
// The end, without a final newline.