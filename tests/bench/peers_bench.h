/* peers_bench.h: the JSON libraries codec_bench.c measures ctl against
 * (peers_bench.cpp): each returns 0, or -1 when it refuses the text. The
 * text must have peer_padding() readable bytes after len. */
#ifndef PEERS_BENCH_H
#define PEERS_BENCH_H

#include <stddef.h>

#include "codec_bench.ctl.h"

#ifdef __cplusplus
extern "C" {
#endif

size_t peer_padding(void);
int peer_simdjson_dom(const char *text, size_t len);
/* On-Demand into ctl's C structs, with ctl's checks (peers_bench.cpp). */
int peer_ondemand_notify(const char *text, size_t len, bench_NotifyEvent *out);
int peer_ondemand_order(const char *text, size_t len, bench_Order *out);
int peer_ondemand_batch(const char *text, size_t len, bench_Batch *out);
int peer_jansson(const char *text, size_t len);
int peer_jsonc(const char *text, size_t len);

#ifdef __cplusplus
}
#endif

#endif
