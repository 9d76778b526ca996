/* Block comments between every kind of token, on one line and across several
   lines, empty ones, ones full of stars and slashes, and one that holds `//`
   and `///`: none of these is a doc, and none nests: /* still one comment. */
/**/ /***/ /****/ /* * / ** // /// */
package /* a */ blocks /* b */ ; /*
   a comment
   over three lines */
enum/**/Tone/**/{/**/low/**/,/**/high/**/,/**/}/**/
struct /* s */ Pair /* t */ {
    /* before a field */ left /* u */ ? /* v */ : /* w */ map /* x */ < /* y */ string /* z */ > /* aa */ ;
    right: /*
      inside a field,
      across lines
    */ Tone = /* before the default */ high /* after it */ ;
    @range /* before the parens */ ( /* c1 */ min /* c2 */ : /* c3 */ -1 /* c4 */ , max: 1 /* c5 */ ) n: int;
}
/** Two stars open an ordinary block comment, not a doc. */
controller other { fn ping {} }
controller /* c */ svc /* d */ uses /* e */ other /* f */ . /* g */ ping /* h */ {
    /* before fn */ fn /* i */ ping /* j */ { /* empty payload */ } /* k */ -> /* l */ { /* empty result */ }
}
/* a comment at the very end */
