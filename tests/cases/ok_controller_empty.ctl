// A controller with no functions, empty braces on one line and over several
// lines (a placeholder while a spec grows).
controller placeholder {}

controller spaced {
}

/// Documented, empty.
controller documented { /* nothing yet */ }
