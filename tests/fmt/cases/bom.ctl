/// With a byte order mark, which fmt drops.
package bom;
enum E {  a  }
