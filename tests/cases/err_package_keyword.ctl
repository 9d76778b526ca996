// A keyword cannot name a package.
package struct;
