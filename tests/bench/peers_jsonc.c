/* peers_jsonc.c: json-c's parse into its tree (one tokener, reset per
 * text), and the free, for codec_bench.c (peers_bench.h). */
#include <json-c/json.h>

#include "peers_bench.h"

static json_tokener *tokener;

int peer_jsonc(const char *text, size_t len)
{
    if (!tokener && !(tokener = json_tokener_new()))
        return -1;
    json_tokener_reset(tokener);
    json_object *o = json_tokener_parse_ex(tokener, text, (int)len);
    if (!o)
        return -1;
    json_object_put(o);
    return 0;
}
