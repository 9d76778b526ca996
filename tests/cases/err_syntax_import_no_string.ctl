// An import path is a string literal, not a bare name.
import common;
