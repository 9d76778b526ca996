/* peers_jansson.c: jansson's parse into its tree, and the free, for
 * codec_bench.c (peers_bench.h). */
#include <jansson.h>

#include "peers_bench.h"

int peer_jansson(const char *text, size_t len)
{
    json_error_t err;
    json_t *j = json_loadb(text, len, 0, &err);
    if (!j)
        return -1;
    json_decref(j);
    return 0;
}
