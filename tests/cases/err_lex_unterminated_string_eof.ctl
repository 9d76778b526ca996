// A string literal still open at the end of the file (no newline after it).
import "common.ctl