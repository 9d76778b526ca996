// 'package' with a string instead of a name.
package "leedz";
