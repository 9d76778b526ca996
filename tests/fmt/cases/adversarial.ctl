// ctlc-fmt: comments where a formatter is most likely to lose them
package p;
struct S {
    a: list< /*x*/ string>; /*after a*/
    b /*q*/ ? /*r*/ : map< /*m*/ list< /*n*/ int /*o*/ > /*p*/ >;
    @length(max: 3) /* between annotation and field */ c: string;
    @deprecated
    // a line between an annotation and its field
    d: int;
    @range( /*i*/ min /*j*/ : /*k*/ 1 /*l*/ ) e: int = /*z*/ 1 /*y*/ ; // trailing
    /* after the last field */
}
enum E {
    a /* in a */, /* before b */ b
    /* after the last member */
}
enum F { x, /* y */ y, z, }
client K uses C /*1*/ . /*2*/ f /*3*/ , /*4*/ D.g /*5*/ ; /*6*/
controller C {
    @ /*7*/ deprecated /*8*/ ( /*9*/ "why" /*10*/ )
    fn /*11*/ f /*12*/ { /*13*/ } /*14*/ -> /*15*/ S
    // at the end of a controller
}
controller D { fn g {} -> { r: int /* before the semicolon */; } }
/* before the end of the file, which has no newline */
// the last line, without a newline