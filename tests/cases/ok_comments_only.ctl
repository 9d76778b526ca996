// A spec holding only comments declares nothing and is valid.
/* A block comment,
   over lines. */
//// Four slashes: not a doc, so nothing is left dangling.
