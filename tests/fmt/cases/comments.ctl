// ctlc-fmt: comments in every place they can be
/* a block
   comment over
     three lines */

/// The package.
package p; // after the package

// before an import
import "x.ctl"; /* after an import */

/// Doc of E.
// a comment between the doc and its enum
enum E { // after the brace
    /// doc of a
    a, // after a
    /* before b */ b /* between b and its comma */,
    // before the closing brace
}

struct S
// between the name and the brace
{
    x: /* before the type */ int; // after x
    y /* before the colon */ : list< /* inside */ int>;
    @range(min: 0, // inside an annotation
        max: 9) z: int = /* before the default */ 3;


    // after two blank lines

    /// doc of w, after a blank line

    w: string;
    // last in the struct
}

controller C { /* after the brace */
    /// doc of f
    // plain comment between doc and fn
    fn f { a: int; } -> /* before the result */ S // after the result

    // between functions
    async /* between async and fn */ fn g {}
}
/// a doc that documents nothing, at the end
// the last line
