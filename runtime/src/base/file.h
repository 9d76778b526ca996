/* base/file.h: writing a whole buffer to a file descriptor, a path in a
 * folder, and making a folder's entries durable (file.c). */
#ifndef CTL_BASE_FILE_H
#define CTL_BASE_FILE_H

#include <stddef.h>

#include "base/private.h"

CTLI_BEGIN_PRIVATE

/* write() until the n bytes at p are written, again after a signal: 0, or
 * -1 with errno set (a full disk, a closed pipe). */
int ctli_write_all(int fd, const void *p, size_t n);

/* "DIR/NAME", malloc'd (the caller frees it), or NULL when out of memory. */
char *ctli_path_join(const char *dir, const char *name);

/* fsync() of directory dir, so that a file created or renamed in it
 * survives a power loss: 0, or -1 with errno set. */
int ctli_sync_dir(const char *dir);

CTLI_END_PRIVATE

#endif
