/* files.h: how the library writes files (private to the library).
 *
 * Both report failures on the run's diagnostics ("ctlc: error: cannot
 * write 'PATH': REASON") and return -1; 0 when done. */
#ifndef CTLC_FILES_H
#define CTLC_FILES_H

#include <stddef.h>

#include "ctlc.h"

/* Writes len bytes to path unless the file holds them already, so that
 * builds do not redo what did not change. For the emitters. */
int ctlc_write_file(ctlc_run *run, const char *path, const char *data, size_t len);

/* Replaces the file at path with len bytes through a temporary file in
 * the same folder and a rename, so that a reader never sees half a file;
 * the mode is kept, and a symbolic link is followed (the file it names is
 * replaced, the link stays). For `ctlc fmt -w`. */
int ctlc_replace_file(ctlc_run *run, const char *path, const char *data, size_t len);

#endif
