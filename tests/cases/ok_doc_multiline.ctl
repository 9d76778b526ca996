// A doc block of several `///` lines, with an empty `///` line inside (a
// paragraph break), a line without the space after `///`, extra indentation
// after the first space (kept), trailing spaces (dropped) and characters the
// dump has to escape (a quote, a backslash, a tab).
/// First paragraph, line one.
/// First paragraph, line two.
///
///Second paragraph, written without a space.
///    indented example code
/// Quote " and backslash \ and	tab.   
struct Documented {
    /// One.
    /// Two.
    /// Three.
    field: string;
}
