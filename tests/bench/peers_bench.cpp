// peers_bench.cpp: simdjson, which codec_bench.c measures ctl against,
// behind a C interface (peers_bench.h), in the same process:
//
//   simdjson 3 DOM       dom::parser::parse of the whole text (a tape, no
//                        typed values), the parser reused;
//   simdjson On-Demand   the same fields into the same C structs as ctl's
//                        one-pass reader (codec_bench.ctl.h), with the
//                        same checks where On-Demand can make them: every
//                        required field, no field twice, types, @length in
//                        code points, @range, enum members, strings without
//                        U+0000 copied out NUL-terminated (into a scratch
//                        arena reset per event, as ctl's), map keys unique;
//                        unknown fields skipped. What it cannot match: it
//                        validates UTF-8 of the whole text but not the JSON
//                        grammar of what it skips (On-Demand is lazy), nor
//                        what follows the event's object (3.0.1's document
//                        has no at_end); so it does less than ctl does.
//
// On-Demand is compiled into the caller: codec_bench.sh builds this file
// with -march=native, so that it runs simdjson's kernel for this CPU (the
// DOM parser picks its kernel at run time in libsimdjson).
//
// jansson and json-c (whose headers clash) are peers_jansson.c and
// peers_jsonc.c.
// The text must have SIMDJSON_PADDING readable bytes after len (codec_bench
// loads the events so).
#include "peers_bench.h"

#include <cstdlib>
#include <cstring>
#include <string_view>
#include <utility>

#include <simdjson.h>

using namespace simdjson;

namespace {

dom::parser dom_parser;
ondemand::parser od_parser;

// A bump arena for the strings and items read, reset per event.
struct scratch {
    char *base = nullptr;
    size_t used = 0, cap = 0;
    void *take(size_t n)
    {
        n = (n + 15) & ~size_t(15);
        if (used + n > cap) {
            size_t c = cap ? cap : 1 << 16;
            while (c < used + n)
                c *= 2;
            // Grows only in warm-up: a new block, the old one kept alive
            // (what was handed out stays valid until the reset).
            char *b = static_cast<char *>(std::malloc(c));
            if (!b)
                return nullptr;
            base = b;
            used = 0;
            cap = c;
        }
        void *p = base + used;
        used += n;
        return p;
    }
} arena;

const char *keep(std::string_view s)
{
    if (s.find('\0') != std::string_view::npos)
        return nullptr;
    char *p = static_cast<char *>(arena.take(s.size() + 1));
    if (!p)
        return nullptr;
    std::memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    return p;
}

size_t code_points(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += (static_cast<unsigned char>(*s) & 0xc0) != 0x80;
    return n;
}

int str(ondemand::value &v, const char **out)
{
    std::string_view s;
    if (v.get_string().get(s))
        return -1;
    *out = keep(s);
    return *out ? 0 : -1;
}

// Room for one more item of a list being read (doubling, in the arena).
template <typename T> bool grow(T *&items, size_t count, size_t &cap)
{
    if (count < cap)
        return true;
    size_t c = cap ? cap * 2 : 4;
    T *n = static_cast<T *>(arena.take(c * sizeof(T)));
    if (!n)
        return false;
    if (count)
        std::memcpy(n, items, count * sizeof(T));
    items = n;
    cap = c;
    return true;
}

int strings(ondemand::value &v, bench_list_string *out)
{
    ondemand::array a;
    if (v.get_array().get(a))
        return -1;
    size_t cap = 0;
    for (auto r : a) {
        ondemand::value e;
        if (std::move(r).get(e) || !grow(out->items, out->count, cap) || str(e, &out->items[out->count]))
            return -1;
        out->count++;
    }
    return 0;
}

#define FIELD(name) (key == name)
#define ONCE(i)                                                                                                       \
    if (seen[i]++)                                                                                                    \
    return -1

int address(ondemand::value &v, bench_Address *a)
{
    ondemand::object o;
    if (v.get_object().get(o))
        return -1;
    int seen[6] = {};
    for (auto r : o) {
        ondemand::field f;
        std::string_view key;
        if (std::move(r).get(f) || f.unescaped_key().get(key))
            return -1;
        ondemand::value &x = f.value();
        if (FIELD("line1")) {
            ONCE(0);
            if (str(x, &a->line1))
                return -1;
        } else if (FIELD("line2")) {
            ONCE(1);
            bool null;
            if (x.is_null().get(null))
                return -1;
            if (!null && str(x, &a->line2))
                return -1;
        } else if (FIELD("city")) {
            ONCE(2);
            if (str(x, &a->city))
                return -1;
        } else if (FIELD("region")) {
            ONCE(3);
            if (str(x, &a->region))
                return -1;
        } else if (FIELD("postal_code")) {
            ONCE(4);
            if (str(x, &a->postal_code))
                return -1;
        } else if (FIELD("country")) {
            ONCE(5);
            if (str(x, &a->country))
                return -1;
        }
    }
    return seen[0] && seen[2] && seen[3] && seen[4] && seen[5] ? 0 : -1;
}

int customer(ondemand::value &v, bench_Customer *c)
{
    ondemand::object o;
    if (v.get_object().get(o))
        return -1;
    int seen[8] = {};
    for (auto r : o) {
        ondemand::field f;
        std::string_view key;
        if (std::move(r).get(f) || f.unescaped_key().get(key))
            return -1;
        ondemand::value &x = f.value();
        if (FIELD("id")) {
            ONCE(0);
            if (str(x, &c->id))
                return -1;
        } else if (FIELD("name")) {
            ONCE(1);
            if (str(x, &c->name))
                return -1;
        } else if (FIELD("email")) {
            ONCE(2);
            if (str(x, &c->email))
                return -1;
        } else if (FIELD("phone")) {
            ONCE(3);
            bool null;
            if (x.is_null().get(null) || (!null && str(x, &c->phone)))
                return -1;
        } else if (FIELD("vip")) {
            ONCE(4);
            if (x.get_bool().get(c->vip))
                return -1;
        } else if (FIELD("loyalty_points")) {
            ONCE(5);
            if (x.get_int64().get(c->loyalty_points) || c->loyalty_points < 0)
                return -1;
        } else if (FIELD("shipping")) {
            ONCE(6);
            if (address(x, &c->shipping))
                return -1;
        } else if (FIELD("billing")) {
            ONCE(7);
            if (address(x, &c->billing))
                return -1;
        }
    }
    return seen[0] && seen[1] && seen[2] && seen[4] && seen[5] && seen[6] && seen[7] ? 0 : -1;
}

int line_item(ondemand::value &v, bench_LineItem *it)
{
    ondemand::object o;
    if (v.get_object().get(o))
        return -1;
    int seen[9] = {};
    for (auto r : o) {
        ondemand::field f;
        std::string_view key;
        if (std::move(r).get(f) || f.unescaped_key().get(key))
            return -1;
        ondemand::value &x = f.value();
        if (FIELD("sku")) {
            ONCE(0);
            if (str(x, &it->sku))
                return -1;
        } else if (FIELD("name")) {
            ONCE(1);
            if (str(x, &it->name))
                return -1;
        } else if (FIELD("kind")) {
            ONCE(2);
            const char *s;
            if (str(x, &s) || !bench_ItemKind_from_string(s, &it->kind))
                return -1;
        } else if (FIELD("quantity")) {
            ONCE(3);
            if (x.get_int64().get(it->quantity) || it->quantity < 1)
                return -1;
        } else if (FIELD("unit_price")) {
            ONCE(4);
            if (x.get_double().get(it->unit_price))
                return -1;
        } else if (FIELD("weight_kg")) {
            ONCE(5);
            if (x.get_double().get(it->weight_kg))
                return -1;
        } else if (FIELD("gift")) {
            ONCE(6);
            if (x.get_bool().get(it->gift))
                return -1;
        } else if (FIELD("tags")) {
            ONCE(7);
            if (strings(x, &it->tags) || it->tags.count > 16)
                return -1;
        } else if (FIELD("note")) {
            ONCE(8);
            bool null;
            if (x.is_null().get(null) || (!null && str(x, &it->note)))
                return -1;
        }
    }
    for (int i = 0; i < 8; i++)
        if (!seen[i])
            return -1;
    return 0;
}

int line_items(ondemand::value &v, bench_list_LineItem *out)
{
    ondemand::array a;
    if (v.get_array().get(a))
        return -1;
    size_t cap = 0;
    for (auto r : a) {
        ondemand::value e;
        if (std::move(r).get(e) || !grow(out->items, out->count, cap))
            return -1;
        std::memset(&out->items[out->count], 0, sizeof out->items[0]);
        if (line_item(e, &out->items[out->count]))
            return -1;
        out->count++;
    }
    return out->count >= 1 ? 0 : -1;
}

int attributes(ondemand::value &v, bench_map_string *out)
{
    ondemand::object o;
    if (v.get_object().get(o))
        return -1;
    size_t cap = 0;
    for (auto r : o) {
        ondemand::field f;
        std::string_view key;
        if (std::move(r).get(f) || f.unescaped_key().get(key) || !grow(out->items, out->count, cap))
            return -1;
        bench_map_string_entry *e = &out->items[out->count];
        if (!(e->key = keep(key)) || str(f.value(), &e->value))
            return -1;
        for (size_t i = 0; i < out->count; i++)
            if (std::strcmp(out->items[i].key, e->key) == 0)
                return -1;
        out->count++;
    }
    return 0;
}

int order(ondemand::value &v, bench_Order *od)
{
    ondemand::object o;
    if (v.get_object().get(o))
        return -1;
    int seen[10] = {};
    for (auto r : o) {
        ondemand::field f;
        std::string_view key;
        if (std::move(r).get(f) || f.unescaped_key().get(key))
            return -1;
        ondemand::value &x = f.value();
        if (FIELD("id")) {
            ONCE(0);
            if (str(x, &od->id))
                return -1;
            size_t n = code_points(od->id);
            if (n < 1 || n > 64)
                return -1;
        } else if (FIELD("created_at")) {
            ONCE(1);
            if (x.get_int64().get(od->created_at) || od->created_at < 0)
                return -1;
        } else if (FIELD("currency")) {
            ONCE(2);
            const char *s;
            if (str(x, &s) || !bench_Currency_from_string(s, &od->currency))
                return -1;
        } else if (FIELD("customer")) {
            ONCE(3);
            if (customer(x, &od->customer))
                return -1;
        } else if (FIELD("items")) {
            ONCE(4);
            if (line_items(x, &od->items))
                return -1;
        } else if (FIELD("attributes")) {
            ONCE(5);
            if (attributes(x, &od->attributes))
                return -1;
        } else if (FIELD("subtotal")) {
            ONCE(6);
            if (x.get_double().get(od->subtotal))
                return -1;
        } else if (FIELD("tax")) {
            ONCE(7);
            if (x.get_double().get(od->tax))
                return -1;
        } else if (FIELD("total")) {
            ONCE(8);
            if (x.get_double().get(od->total))
                return -1;
        } else if (FIELD("coupon")) {
            ONCE(9);
            bool null;
            if (x.is_null().get(null) || (!null && str(x, &od->coupon)))
                return -1;
        }
    }
    for (int i = 0; i < 9; i++)
        if (!seen[i])
            return -1;
    return 0;
}

int batch(ondemand::value &v, bench_Batch *b)
{
    ondemand::object o;
    if (v.get_object().get(o))
        return -1;
    int seen[4] = {};
    for (auto r : o) {
        ondemand::field f;
        std::string_view key;
        if (std::move(r).get(f) || f.unescaped_key().get(key))
            return -1;
        ondemand::value &x = f.value();
        if (FIELD("id")) {
            ONCE(0);
            if (str(x, &b->id))
                return -1;
            size_t n = code_points(b->id);
            if (n < 1 || n > 64)
                return -1;
        } else if (FIELD("description")) {
            ONCE(1);
            if (str(x, &b->description))
                return -1;
        } else if (FIELD("notes")) {
            ONCE(2);
            if (strings(x, &b->notes))
                return -1;
        } else if (FIELD("items")) {
            ONCE(3);
            if (line_items(x, &b->items))
                return -1;
        }
    }
    return seen[0] && seen[1] && seen[2] && seen[3] ? 0 : -1;
}

// The event's object: "function" must name fn, and member holds the payload.
template <typename F> int event(const char *text, size_t len, const char *fn, const char *member, F read)
{
    arena.used = 0;
    ondemand::document doc;
    ondemand::object top;
    if (od_parser.iterate(padded_string_view(text, len, len + SIMDJSON_PADDING)).get(doc) ||
        doc.get_object().get(top))
        return -1;
    int seen[2] = {};
    for (auto r : top) {
        ondemand::field f;
        std::string_view key;
        if (std::move(r).get(f) || f.unescaped_key().get(key))
            return -1;
        ondemand::value &x = f.value();
        if (key == "function") {
            std::string_view name;
            if (seen[0]++ || x.get_string().get(name) || name != fn)
                return -1;
        } else if (key == member) {
            if (seen[1]++ || read(x))
                return -1;
        }
    }
    return seen[0] && seen[1] ? 0 : -1;
}

} // namespace

extern "C" {

int peer_simdjson_dom(const char *text, size_t len)
{
    dom::element root;
    return dom_parser.parse(text, len, false).get(root) ? -1 : 0;
}

int peer_ondemand_notify(const char *text, size_t len, bench_NotifyEvent *out)
{
    // The small event has its payload at the top: its own loop.
    arena.used = 0;
    ondemand::document doc;
    ondemand::object top;
    if (od_parser.iterate(padded_string_view(text, len, len + SIMDJSON_PADDING)).get(doc) ||
        doc.get_object().get(top))
        return -1;
    int seen[4] = {};
    for (auto r : top) {
        ondemand::field f;
        std::string_view key;
        if (std::move(r).get(f) || f.unescaped_key().get(key))
            return -1;
        ondemand::value &x = f.value();
        if (key == "function") {
            ONCE(0);
            if (str(x, &out->function))
                return -1;
        } else if (key == "id") {
            ONCE(1);
            if (str(x, &out->id))
                return -1;
            size_t n = code_points(out->id);
            if (n < 1 || n > 64)
                return -1;
        } else if (key == "trade") {
            ONCE(2);
            const char *s;
            if (str(x, &s) || !bench_Trade_from_string(s, &out->trade))
                return -1;
        } else if (key == "seller") {
            ONCE(3);
            if (str(x, &out->seller))
                return -1;
        }
    }
    return seen[0] && seen[1] && seen[2] && seen[3] ? 0 : -1;
}

int peer_ondemand_order(const char *text, size_t len, bench_Order *out)
{
    return event(text, len, "placeOrder", "order", [out](ondemand::value &v) { return order(v, out); });
}

int peer_ondemand_batch(const char *text, size_t len, bench_Batch *out)
{
    return event(text, len, "importBatch", "batch", [out](ondemand::value &v) { return batch(v, out); });
}

size_t peer_padding(void)
{
    return SIMDJSON_PADDING;
}

} // extern "C"
