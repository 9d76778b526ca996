// A package whose prefix libctl owns: every C name would start 'ctl_'.
package ctl;

struct S { x: int; }
