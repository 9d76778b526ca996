# ---- ctl runtime (the same in every module ctlc py writes) ------------------------------
#
# The rules of libctl's C readers and writers, in Python: the strict JSON
# reader (runtime/src/codec/json_read.c: offsets and messages), the typed
# reads (read.c), the words of failures with their JSON paths (fail.c), the
# writer's bytes (write.c: string escapes, the float text), and dispatch
# (dispatch.c). A module is whole without another file; the names of this
# part start with _ctl (or Ctl, for the errors a caller catches), which a
# spec's names cannot take from it (ctlc py escapes them).

_CTL_MAX_DEPTH = 128
_CTL_INT64_MIN = -(1 << 63)
_CTL_INT64_MAX = (1 << 63) - 1

# Node kinds of the reader's tree, in ctl_json_type's order.
_CTL_NULL, _CTL_FALSE, _CTL_TRUE, _CTL_NUMBER, _CTL_STRING, _CTL_ARRAY, _CTL_OBJECT = range(7)
_CTL_TYPE_NAMES = ("null", "boolean", "boolean", "number", "string", "array", "object")
# Flags of a string or key (ctl/json.h).
_CTL_HAS_NUL, _CTL_BAD_UTF8, _CTL_LONE_SURROGATE = 1, 2, 4


class CtlError(Exception):
    """A failure with Lambda's errorType and errorMessage."""

    def __init__(self, error_type: str, message: str) -> None:
        super().__init__("%s: %s" % (error_type, message))
        self.error_type = error_type
        self.message = message


class CtlInvalidArguments(CtlError):
    """A stub refused its arguments before sending (ctl.InvalidArguments)."""


class CtlFailed(Exception):
    """Raised by a handler: it failed without saying why (ctl.HandlerError,
    libctl's message for a handler that returns non-zero without an error)."""


class CtlFunctionError(CtlError):
    """The function answered an error object ({"errorType", "errorMessage"})."""


class CtlTransportError(CtlError):
    """The call did not reach the function, or its answer was not one."""


class _CtlPathError(Exception):
    """A value breaks the contract at a path; dispatch makes it a CtlError."""

    def __init__(self, text: bytes) -> None:
        super().__init__(text.decode("utf-8", "replace"))
        self.text = text


class _CtlNode:
    """A JSON value as read: kind, and the text of a number or the decoded
    bytes of a string (flags tell what is wrong with them), the items of an
    array, or the members (key bytes, key flags, value) of an object."""

    __slots__ = ("kind", "text", "flags", "items")

    def __init__(self, kind: int, text: bytes = b"", flags: int = 0,
                 items: "typing.Optional[typing.List[typing.Any]]" = None) -> None:
        self.kind = kind
        self.text = text
        self.flags = flags
        self.items = items


class _CtlJsonFail(Exception):
    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message


_CTL_TOO_DEEP = "nested deeper than %d levels, the reader's limit" % _CTL_MAX_DEPTH
_CTL_PLAIN = re.compile(rb'[^"\\\x00-\x1f]*')
_CTL_RAW = re.compile(rb'[^"\\\x00-\x1f]+')
_CTL_WS = re.compile(rb"[ \t\n\r]*")
_CTL_DIGITS = re.compile(rb"[0-9]*")
_CTL_HEX4 = re.compile(rb"[0-9a-fA-F]{4}")


def _ctl_utf8_ok(b: bytes) -> bool:
    try:
        b.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def _ctl_utf8_seq(b: bytes, i: int, end: int) -> int:
    """The length of the valid UTF-8 sequence at b[i] (not past end), or 0."""
    c = b[i]
    n = 2 if 0xC2 <= c <= 0xDF else 3 if 0xE0 <= c <= 0xEF else 4 if 0xF0 <= c <= 0xF4 else 0
    if n == 0 or i + n > end:
        return 0
    return n if _ctl_utf8_ok(b[i:i + n]) else 0


class _CtlReader:
    """json_read.c's recursive descent, depth-limited."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.end = len(data)
        self.p = 0
        self.depth = 0

    def ws(self) -> None:
        m = _CTL_WS.match(self.data, self.p)
        if m:
            self.p = m.end()

    def string(self) -> "typing.Tuple[bytes, int]":
        d, end, start = self.data, self.end, self.p
        q = start + 1
        m = _CTL_PLAIN.match(d, q)
        s = m.end() if m else q
        if s >= end:
            raise _CtlJsonFail(start, "unterminated string")
        if d[s] == 0x22:
            raw = d[q:s]
            self.p = s + 1
            return raw, (0 if raw.isascii() or _ctl_utf8_ok(raw) else _CTL_BAD_UTF8)
        # Escapes: find the end first, as the C reader does.
        e = s
        while e < end and d[e] != 0x22 and d[e] >= 0x20:
            if d[e] == 0x5C:
                e += 1
                if e >= end or d[e] < 0x20:
                    break
            e += 1
        if e < end and d[e] < 0x20:
            raise _CtlJsonFail(e, "control character in string")
        if e >= end:
            raise _CtlJsonFail(start, "unterminated string")
        out = bytearray(d[q:s])
        flags = 0 if _ctl_utf8_ok(d[q:s]) else _CTL_BAD_UTF8
        i = s
        while i < e:
            c = d[i]
            if c != 0x5C:
                m = _CTL_RAW.match(d, i, e)
                j = m.end() if m else i + 1
                if not _ctl_utf8_ok(d[i:j]):
                    flags |= _CTL_BAD_UTF8
                out += d[i:j]
                i = j
                continue
            esc = d[i + 1]
            simple = _CTL_ESCAPES.get(esc)
            if simple is not None:
                out.append(simple)
                i += 2
                continue
            if esc != 0x75:
                raise _CtlJsonFail(i, "invalid escape in string")
            if e - i < 6 or not _CTL_HEX4.match(d, i + 2, i + 6):
                raise _CtlJsonFail(i, "invalid \\u escape in string")
            cp = int(d[i + 2:i + 6], 16)
            i += 6
            if 0xD800 <= cp <= 0xDBFF:
                lo = -1
                if e - i >= 6 and d[i] == 0x5C and d[i + 1] == 0x75 and _CTL_HEX4.match(d, i + 2, i + 6):
                    lo = int(d[i + 2:i + 6], 16)
                if 0xDC00 <= lo <= 0xDFFF:
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00)
                    i += 6
                else:
                    flags |= _CTL_LONE_SURROGATE
                    cp = 0xFFFD
            elif 0xDC00 <= cp <= 0xDFFF:
                flags |= _CTL_LONE_SURROGATE
                cp = 0xFFFD
            elif cp == 0:
                flags |= _CTL_HAS_NUL
            out += chr(cp).encode("utf-8")
        self.p = e + 1
        return bytes(out), flags

    def number(self) -> _CtlNode:
        d, end, s = self.data, self.end, self.p
        p = s
        if p < end and d[p] == 0x2D:
            p += 1
        if p >= end:
            raise _CtlJsonFail(s, "invalid number")
        if d[p] == 0x30:
            p += 1
        elif 0x31 <= d[p] <= 0x39:
            p = _CTL_DIGITS.match(d, p).end()  # type: ignore[union-attr]
        else:
            raise _CtlJsonFail(s, "invalid number")
        if p < end and d[p] == 0x2E:
            p += 1
            if p >= end or not 0x30 <= d[p] <= 0x39:
                raise _CtlJsonFail(s, "invalid number")
            p = _CTL_DIGITS.match(d, p).end()  # type: ignore[union-attr]
        if p < end and d[p] in (0x65, 0x45):
            p += 1
            if p < end and d[p] in (0x2B, 0x2D):
                p += 1
            if p >= end or not 0x30 <= d[p] <= 0x39:
                raise _CtlJsonFail(s, "invalid number")
            p = _CTL_DIGITS.match(d, p).end()  # type: ignore[union-attr]
        self.p = p
        return _CtlNode(_CTL_NUMBER, d[s:p])

    def container(self, obj: bool) -> _CtlNode:
        self.depth += 1
        if self.depth > _CTL_MAX_DEPTH:
            raise _CtlJsonFail(self.p, _CTL_TOO_DEEP)
        close = 0x7D if obj else 0x5D
        items: "typing.List[typing.Any]" = []
        node = _CtlNode(_CTL_OBJECT if obj else _CTL_ARRAY, items=items)
        self.p += 1
        self.ws()
        d, end = self.data, self.end
        if self.p < end and d[self.p] == close:
            self.p += 1
            self.depth -= 1
            return node
        while True:
            if obj:
                if self.p >= end or d[self.p] != 0x22:
                    raise _CtlJsonFail(self.p, "expected a string key")
                key, kflags = self.string()
                self.ws()
                if self.p >= end or d[self.p] != 0x3A:
                    raise _CtlJsonFail(self.p, "expected ':'")
                self.p += 1
                self.ws()
                items.append((key, kflags, self.value()))
            else:
                items.append(self.value())
            self.ws()
            if self.p < end and d[self.p] == 0x2C:
                self.p += 1
                self.ws()
                continue
            if self.p < end and d[self.p] == close:
                self.p += 1
                self.depth -= 1
                return node
            raise _CtlJsonFail(self.p, "expected ',' or '}'" if obj else "expected ',' or ']'")

    def literal(self, word: bytes, kind: int) -> _CtlNode:
        if self.data[self.p:self.p + len(word)] != word:
            raise _CtlJsonFail(self.p, "invalid literal")
        self.p += len(word)
        return _CtlNode(kind)

    def value(self) -> _CtlNode:
        if self.p >= self.end:
            raise _CtlJsonFail(self.p, "unexpected end of text")
        c = self.data[self.p]
        if c == 0x7B:
            return self.container(True)
        if c == 0x5B:
            return self.container(False)
        if c == 0x22:
            text, flags = self.string()
            return _CtlNode(_CTL_STRING, text, flags)
        if c == 0x74:
            return self.literal(b"true", _CTL_TRUE)
        if c == 0x66:
            return self.literal(b"false", _CTL_FALSE)
        if c == 0x6E:
            return self.literal(b"null", _CTL_NULL)
        if c == 0x2D or 0x30 <= c <= 0x39:
            return self.number()
        raise _CtlJsonFail(self.p, "unexpected character")


_CTL_ESCAPES = {0x22: 0x22, 0x5C: 0x5C, 0x2F: 0x2F, 0x62: 0x08, 0x66: 0x0C, 0x6E: 0x0A, 0x72: 0x0D, 0x74: 0x09}


def _ctl_parse(data: bytes) -> _CtlNode:
    """The JSON text as a tree, or CtlError ctl.InvalidJSON (dispatch.c's words)."""
    r = _CtlReader(data)
    try:
        r.ws()
        root = r.value()
        r.ws()
        if r.p != r.end:
            raise _CtlJsonFail(r.p, "text after the JSON value")
    except _CtlJsonFail as e:
        if e.message is _CTL_TOO_DEEP:
            raise _ctl_error("ctl.InvalidJSON", "the event is nested deeper than %d levels, the limit of "
                             "libctl's JSON reader (at byte %d)" % (_CTL_MAX_DEPTH, e.offset)) from None
        raise _ctl_error("ctl.InvalidJSON", "the event is not JSON: %s at byte %d" % (e.message, e.offset)) from None
    return root


# ---- paths and the words of failures (fail.c) ----------------------------------------------

# A path is None (the root) or (up, key bytes or index).
_CtlPath = typing.Optional[typing.Tuple[typing.Any, typing.Union[bytes, int]]]
_CTL_PLAIN_KEY = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*\Z")


def _ctl_quoted(k: bytes) -> bytes:
    """A key as a JSON string: valid UTF-8 as it is, other bytes \\u escaped."""
    out = bytearray(b'"')
    i, n = 0, len(k)
    while i < n:
        c = k[i]
        seq = _ctl_utf8_seq(k, i, n) if c >= 0x80 else 0
        if seq:
            out += k[i:i + seq]
            i += seq
            continue
        if c in (0x22, 0x5C):
            out += b"\\" + bytes((c,))
        elif c < 0x20 or c >= 0x7F:
            out += b"\\u%04x" % c
        else:
            out.append(c)
        i += 1
    out += b'"'
    return bytes(out)


def _ctl_path_text(path: _CtlPath) -> bytes:
    steps: "typing.List[typing.Union[bytes, int]]" = []
    while path is not None:
        steps.append(path[1])
        path = path[0]
    out = bytearray(b"$")
    for k in reversed(steps):
        if isinstance(k, int):
            out += b"[%d]" % k
        elif _CTL_PLAIN_KEY.match(k):
            out += b"." + k
        else:
            out += b"[" + _ctl_quoted(k) + b"]"
    return bytes(out)


def _ctl_fail(path: _CtlPath, message: typing.Union[str, bytes]) -> _CtlPathError:
    """ctli_fail_at: "PATH: MESSAGE", the message cut at 255 bytes as C's buffer cuts it."""
    m = message.encode("utf-8") if isinstance(message, str) else message
    return _CtlPathError(_ctl_path_text(path) + b": " + m[:255])


def _ctl_shortest(v: float) -> str:
    """fail.c's shortest(): %.15g, %.16g or %.17g, the first that reads back."""
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "-Infinity" if v < 0 else "Infinity"
    text = ""
    for prec in (15, 16, 17):
        text = "%.*g" % (prec, v)
        if float(text) == v:
            break
    return text


def _ctl_bounds(path: _CtlPath, v: typing.Any, lo: typing.Any, hi: typing.Any, what: str) -> _CtlPathError:
    """The bound v breaks, in fail.c's words (what: "length", or "" for a value)."""
    def show(x: typing.Any) -> str:
        return _ctl_shortest(x) if isinstance(x, float) else str(x)
    head = ("length %s" % v) if what else show(v)
    if lo is not None and hi is not None:
        if lo == hi:
            return _ctl_fail(path, "%s is not %s" % (head, show(lo)))
        return _ctl_fail(path, "%s is outside %s..%s" % (head, show(lo), show(hi)))
    if lo is not None:
        return _ctl_fail(path, "%s is below the minimum %s" % (head, show(lo)))
    return _ctl_fail(path, "%s is above the maximum %s" % (head, show(hi)))


def _ctl_check_bounds(path: _CtlPath, v: typing.Any, bounds: typing.Any, what: str) -> None:
    lo, hi = bounds
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        raise _ctl_bounds(path, v, lo, hi, what)


# ---- types -------------------------------------------------------------------------------

class _CtlType:
    """A type of the spec: kind is string, int, float, bool, json, list, map,
    enum or struct; elem for list and map; the class and spec name of an
    enum or struct; a struct's fields (set after the classes exist, so that
    a struct may hold itself)."""

    __slots__ = ("kind", "elem", "cls", "name", "fields", "by_wire")

    def __init__(self, kind: str, elem: "typing.Optional[_CtlType]" = None, cls: typing.Any = None,
                 name: str = "") -> None:
        self.kind = kind
        self.elem = elem
        self.cls = cls
        self.name = name
        self.fields: "typing.Tuple[_CtlField, ...]" = ()
        self.by_wire: "typing.Dict[bytes, typing.Any]" = {}  # fields, or enum members

    def set_fields(self, *fields: "_CtlField") -> None:
        self.fields = fields
        self.by_wire = {f.wire: f for f in fields}


class _CtlField:
    """A field: its Python attribute, wire name, type, whether it is
    optional, its default (_CTL_NONE: none), @length and @range bounds."""

    __slots__ = ("attr", "wire", "type", "optional", "default", "length", "range", "path_key")

    def __init__(self, attr: str, wire: str, type_: _CtlType, optional: bool = False,
                 default: typing.Any = None, has_default: bool = False,
                 length: typing.Any = None, range_: typing.Any = None) -> None:
        self.attr = attr
        self.wire = wire.encode("utf-8")
        self.type = type_
        self.optional = optional
        self.default = default if has_default else _CTL_NONE
        self.length = length
        self.range = range_


_CTL_NONE = object()
_CTL_T_STRING = _CtlType("string")
_CTL_T_INT = _CtlType("int")
_CTL_T_FLOAT = _CtlType("float")
_CTL_T_BOOL = _CtlType("bool")
_CTL_T_JSON = _CtlType("json")


def _ctl_enum(cls: typing.Any, name: str) -> _CtlType:
    t = _CtlType("enum", cls=cls, name=name)
    t.by_wire = {m.value.encode("utf-8"): m for m in cls}
    return t


def _ctl_list(elem: _CtlType) -> _CtlType:
    return _CtlType("list", elem)


def _ctl_map(elem: _CtlType) -> _CtlType:
    return _CtlType("map", elem)


# ---- reading (read.c) -------------------------------------------------------------------------

def _ctl_mismatch(path: _CtlPath, v: _CtlNode, want: str) -> _CtlPathError:
    return _ctl_fail(path, "expected %s, got %s" % (want, _CTL_TYPE_NAMES[v.kind]))


def _ctl_check_string(path: _CtlPath, flags: int, what: str) -> None:
    if flags & _CTL_HAS_NUL:
        raise _ctl_fail(path, what + " holds U+0000")
    if flags & _CTL_BAD_UTF8:
        raise _ctl_fail(path, what + " is not valid UTF-8")
    if flags & _CTL_LONE_SURROGATE:
        raise _ctl_fail(path, what + " holds an unpaired surrogate escape")


def _ctl_read_string(v: _CtlNode, path: _CtlPath) -> str:
    if v.kind != _CTL_STRING:
        raise _ctl_mismatch(path, v, "string")
    if v.flags:
        _ctl_check_string(path, v.flags, "string")
    return v.text.decode("utf-8")


def _ctl_number_shown(text: bytes) -> bytes:
    return text[:40]


def _ctl_read_int(v: _CtlNode, path: _CtlPath) -> int:
    """read.c's ctl_read_int: exact, from the number's text."""
    if v.kind != _CTL_NUMBER:
        raise _ctl_mismatch(path, v, "integer")
    t = v.text
    m = _CTL_NUMBER_PARTS.match(t)
    assert m is not None
    neg, ipart, fpart, epart = m.group(1), m.group(2), m.group(3) or b"", m.group(4)
    exp = 0
    if epart:
        eneg = epart[1:2] == b"-"
        for ch in epart[1:].lstrip(b"+-"):
            if exp < 100000:
                exp = exp * 10 + (ch - 0x30)
        if eneg:
            exp = -exp
    sig = bytearray()
    overflow = False
    for part, stop in ((ipart, False), (fpart, True)):
        for ch in part:
            if stop:
                exp -= 1
            if not sig and ch == 0x30:
                continue
            if len(sig) < 32:
                sig.append(ch)
            elif ch == 0x30:
                exp += 1
            else:
                overflow = True
    while sig and sig[-1] == 0x30:
        sig.pop()
        exp += 1
    if not sig:
        return 0
    shown = _ctl_number_shown(t)
    if exp < 0 or (overflow and fpart):
        raise _ctl_fail(path, b"expected integer, got " + shown)
    if overflow or len(sig) + exp > 19:
        raise _ctl_fail(path, b"integer " + shown + b" is out of the signed 64-bit range")
    value: int = int(bytes(sig)) * 10 ** exp
    if neg:
        value = -value
    if not _CTL_INT64_MIN <= value <= _CTL_INT64_MAX:
        raise _ctl_fail(path, b"integer " + shown + b" is out of the signed 64-bit range")
    return value


_CTL_NUMBER_PARTS = re.compile(rb"(-?)([0-9]*)(?:\.([0-9]*))?([eE][+-]?[0-9]*)?\Z")


def _ctl_read_float(v: _CtlNode, path: _CtlPath) -> float:
    if v.kind != _CTL_NUMBER:
        raise _ctl_mismatch(path, v, "number")
    d = float(v.text)
    if not math.isfinite(d):
        raise _ctl_fail(path, b"number " + _ctl_number_shown(v.text) + b" is out of the range of a double")
    return d


def _ctl_read_bool(v: _CtlNode, path: _CtlPath) -> bool:
    if v.kind == _CTL_TRUE:
        return True
    if v.kind == _CTL_FALSE:
        return False
    raise _ctl_mismatch(path, v, "boolean")


def _ctl_json_number(d: float) -> typing.Union[int, float]:
    """A json value's number as C keeps it (a double): an int when the writer
    would write it as one."""
    if -9007199254740992.0 <= d <= 9007199254740992.0 and d == int(d) and not (d == 0 and math.copysign(1, d) < 0):
        return int(d)
    return d


def _ctl_read_json(v: _CtlNode, path: _CtlPath) -> typing.Any:
    k = v.kind
    if k == _CTL_NULL:
        return None
    if k == _CTL_FALSE:
        return False
    if k == _CTL_TRUE:
        return True
    if k == _CTL_NUMBER:
        return _ctl_json_number(_ctl_read_float(v, path))
    if k == _CTL_STRING:
        return _ctl_read_string(v, path)
    if k == _CTL_ARRAY:
        return [_ctl_read_json(item, (path, i)) for i, item in enumerate(v.items or ())]
    out: typing.Dict[str, typing.Any] = {}
    for key, kflags, item in v.items or ():
        p = (path, key)
        if kflags:
            _ctl_check_string(p, kflags, "key")
        out[key.decode("utf-8")] = _ctl_read_json(item, p)
    return out


def _ctl_fail_enum(v: _CtlNode, path: _CtlPath, name: str) -> _CtlPathError:
    if v.kind != _CTL_STRING:
        return _ctl_mismatch(path, v, "string")
    if v.flags:
        _ctl_check_string(path, v.flags, "string")
    return _ctl_fail(path, _ctl_quoted(v.text[:64]) + b" is not a member of enum " + name.encode("utf-8"))


def _ctl_unique_keys(v: _CtlNode, path: _CtlPath) -> None:
    """read.c's ctl_check_unique_keys: the duplicate it reports, too."""
    items = v.items or []
    if len(items) < 2:
        return
    if len(items) <= 8:
        for i, (a, _, _) in enumerate(items):
            for b, _, _ in items[:i]:
                if a == b:
                    raise _ctl_fail((path, a), "duplicate key")
        return
    keys = sorted((len(k), k) for k, _, _ in items)
    for i in range(1, len(keys)):
        if keys[i - 1] == keys[i]:
            raise _ctl_fail((path, keys[i][1]), "duplicate key")


def _ctl_read(t: _CtlType, v: _CtlNode, path: _CtlPath) -> typing.Any:
    k = t.kind
    if k == "string":
        return _ctl_read_string(v, path)
    if k == "int":
        return _ctl_read_int(v, path)
    if k == "float":
        return _ctl_read_float(v, path)
    if k == "bool":
        return _ctl_read_bool(v, path)
    if k == "json":
        return _ctl_read_json(v, path)
    if k == "enum":
        if v.kind != _CTL_STRING or v.flags:
            raise _ctl_fail_enum(v, path, t.name)
        member = t.by_wire.get(v.text)
        if member is None:
            raise _ctl_fail_enum(v, path, t.name)
        return member
    if k == "list":
        if v.kind != _CTL_ARRAY:
            raise _ctl_mismatch(path, v, "array")
        elem = t.elem
        assert elem is not None
        return [_ctl_read(elem, item, (path, i)) for i, item in enumerate(v.items or ())]
    if k == "map":
        if v.kind != _CTL_OBJECT:
            raise _ctl_mismatch(path, v, "object")
        _ctl_unique_keys(v, path)
        elem = t.elem
        assert elem is not None
        out: typing.Dict[str, typing.Any] = {}
        for key, kflags, item in v.items or ():
            p = (path, key)
            if kflags:
                _ctl_check_string(p, kflags, "key")
            out[key.decode("utf-8")] = _ctl_read(elem, item, p)
        return out
    return _ctl_read_struct(t, v, path)


def _ctl_read_struct(t: _CtlType, v: _CtlNode, path: _CtlPath) -> typing.Any:
    if v.kind != _CTL_OBJECT:
        raise _ctl_mismatch(path, v, "object")
    values: typing.Dict[str, typing.Any] = {}
    by_wire = t.by_wire
    for key, _, m in v.items or ():
        f = by_wire.get(key)
        if f is None:
            continue  # unknown fields are ignored
        p = (path, key)
        if f.attr in values:
            raise _ctl_fail(p, "duplicate key")
        if f.optional and m.kind == _CTL_NULL:
            values[f.attr] = None
            continue
        x = _ctl_read(f.type, m, p)
        if f.length is not None:
            _ctl_check_bounds(p, len(x), f.length, "length")
        if f.range is not None:
            _ctl_check_bounds(p, x, f.range, "")
        values[f.attr] = x
    for f in t.fields:
        if f.attr in values:
            continue
        if f.optional:
            values[f.attr] = None
        elif f.default is not _CTL_NONE:
            values[f.attr] = f.default
        else:
            raise _ctl_fail(path, 'missing required field "%s"' % f.wire.decode("utf-8"))
    return t.cls(**values)


# ---- writing (write.c) ---------------------------------------------------------------------

_CTL_STRING_ESCAPES = {0x22: b'\\"', 0x5C: b"\\\\", 0x0A: b"\\n", 0x0D: b"\\r", 0x09: b"\\t", 0x08: b"\\b",
                       0x0C: b"\\f"}
_CTL_NEEDS_ESCAPE = re.compile(rb'["\\\x00-\x1f]')


def _ctl_escape_one(m: "re.Match[bytes]") -> bytes:
    c = m.group()[0]
    return _CTL_STRING_ESCAPES.get(c) or b"\\u%04x" % c


def _ctl_string_bytes(b: bytes) -> bytes:
    """write.c's ctl_write_string on bytes that are valid UTF-8."""
    return b'"' + _CTL_NEEDS_ESCAPE.sub(_ctl_escape_one, b) + b'"'


def _ctl_encode(s: str, path: _CtlPath, what: str = "string") -> bytes:
    """s as UTF-8, or the failure the reader would report for its text."""
    try:
        b = s.encode("utf-8")
    except UnicodeEncodeError:
        raise _ctl_fail(path, what + " is not valid UTF-8") from None
    if b"\0" in b:
        raise _ctl_fail(path, what + " holds U+0000")
    return b


def _ctl_round(x: float) -> float:
    """C's round(): halves away from zero (Python's round() goes to even)."""
    a = abs(x)
    f = math.floor(a)
    if a - f >= 0.5:
        f += 1
    return math.copysign(f, x)


_CTL_POW10 = tuple(float(10 ** k) for k in range(16))


def _ctl_float_text(v: float) -> bytes:
    """write.c's ctl_write_float: the shortest decimal that reads back as v,
    with a fraction or exponent so that it stays a float."""
    a = abs(v)
    if 1e-5 <= a < 1e15:
        for k in range(16):
            m = _ctl_round(v * _CTL_POW10[k])
            if abs(m) >= 9007199254740992.0:
                break
            if m / _CTL_POW10[k] != v:
                continue
            digits = str(int(abs(m))).rjust(k + 1, "0")
            sign = "-" if v < 0 else ""
            if k == 0:
                return (sign + digits + ".0").encode("ascii")
            return (sign + digits[:-k] + "." + digits[-k:]).encode("ascii")
    text = ""
    for prec in (15, 16, 17):
        text = "%.*g" % (prec, v)
        if float(text) == v:
            break
    if "." not in text and "e" not in text:
        text += ".0"
    return text.encode("ascii")


def _ctl_got(x: typing.Any) -> str:
    """What a Python value would be on the wire, for messages."""
    if x is None:
        return "null"
    if isinstance(x, bool):
        return "boolean"
    if isinstance(x, (int, float)):
        return "number"
    if isinstance(x, str):
        return "string"
    if isinstance(x, (list, tuple)):
        return "array"
    if isinstance(x, dict):
        return "object"
    return "a Python %s" % type(x).__name__


def _ctl_write_float(out: bytearray, x: typing.Any, path: _CtlPath) -> None:
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise _ctl_fail(path, "expected number, got %s" % _ctl_got(x))
    x = float(x)
    if not math.isfinite(x):
        raise _ctl_fail(path, "%s is not a finite number" % _ctl_shortest(x))
    out += _ctl_float_text(x)


def _ctl_entries(x: typing.Any) -> "typing.List[typing.Tuple[typing.Any, typing.Any]]":
    """The items of a dict (a typed view of what isinstance found)."""
    return list(typing.cast("typing.Dict[typing.Any, typing.Any]", x).items())


def _ctl_write_json(out: bytearray, x: typing.Any, path: _CtlPath, depth: int) -> None:
    """write.c's write_tree, on Python's JSON values (dict, list, str, int,
    float, bool, None); an int past 2^53 is a double, as in C."""
    if x is None:
        out += b"null"
    elif x is True:
        out += b"true"
    elif x is False:
        out += b"false"
    elif isinstance(x, int):
        if -9007199254740992 <= x <= 9007199254740992:
            out += b"%d" % x
        else:
            _ctl_write_float(out, float(x), path)
    elif isinstance(x, float):
        if math.isfinite(x) and _ctl_json_number(x).__class__ is int:
            out += b"%d" % int(x)
        else:
            _ctl_write_float(out, x, path)
    elif isinstance(x, str):
        out += _ctl_string_bytes(_ctl_encode(x, path))
    elif isinstance(x, (list, tuple, dict)):
        if depth + 1 > _CTL_MAX_DEPTH:
            raise _ctl_fail(path, "nested deeper than %d levels, the limit of the reader" % _CTL_MAX_DEPTH)
        if isinstance(x, dict):
            out += b"{"
            for i, (key, item) in enumerate(_ctl_entries(x)):
                if not isinstance(key, str):
                    raise _ctl_fail(path, "member %d has a key that is no string" % i)
                kb = key.encode("utf-8", "surrogatepass")
                if i:
                    out += b","
                out += _ctl_string_bytes(_ctl_encode(key, (path, kb), "key")) + b":"
                _ctl_write_json(out, item, (path, kb), depth + 1)
            out += b"}"
        else:
            out += b"["
            for i, item in enumerate(typing.cast("typing.List[typing.Any]", x)):
                if i:
                    out += b","
                _ctl_write_json(out, item, (path, i), depth + 1)
            out += b"]"
    else:
        raise _ctl_fail(path, "a Python %s is no JSON value" % type(x).__name__)


def _ctl_depth(path: _CtlPath) -> int:
    n = 0
    while path is not None:
        n += 1
        path = path[0]
    return n


def _ctl_write(out: bytearray, t: _CtlType, x: typing.Any, path: _CtlPath) -> None:
    k = t.kind
    if k == "string":
        if not isinstance(x, str):
            raise _ctl_fail(path, "expected string, got %s" % _ctl_got(x))
        out += _ctl_string_bytes(_ctl_encode(x, path))
    elif k == "int":
        if isinstance(x, bool) or not isinstance(x, int):
            raise _ctl_fail(path, "expected integer, got %s" % _ctl_got(x))
        if not _CTL_INT64_MIN <= x <= _CTL_INT64_MAX:
            raise _ctl_fail(path, "integer %d is out of the signed 64-bit range" % x)
        out += b"%d" % x
    elif k == "float":
        _ctl_write_float(out, x, path)
    elif k == "bool":
        if not isinstance(x, bool):
            raise _ctl_fail(path, "expected boolean, got %s" % _ctl_got(x))
        out += b"true" if x else b"false"
    elif k == "json":
        _ctl_write_json(out, x, path, _ctl_depth(path))
    elif k == "enum":
        if not isinstance(x, t.cls):
            raise _ctl_fail(path, "%r is not a member of enum %s" % (x, t.name))
        out += _ctl_string_bytes(x.value.encode("utf-8"))
    elif k in ("list", "map"):
        elem = t.elem
        assert elem is not None
        if k == "list":
            if not isinstance(x, (list, tuple)):
                raise _ctl_fail(path, "expected array, got %s" % _ctl_got(x))
            out += b"["
            for i, item in enumerate(typing.cast("typing.List[typing.Any]", x)):
                if i:
                    out += b","
                _ctl_write(out, elem, item, (path, i))
            out += b"]"
        else:
            if not isinstance(x, dict):
                raise _ctl_fail(path, "expected object, got %s" % _ctl_got(x))
            out += b"{"
            for i, (key, item) in enumerate(_ctl_entries(x)):
                if not isinstance(key, str):
                    raise _ctl_fail(path, "entry %d has a key that is no string" % i)
                kb = key.encode("utf-8", "surrogatepass")
                if i:
                    out += b","
                out += _ctl_string_bytes(_ctl_encode(key, (path, kb), "key")) + b":"
                _ctl_write(out, elem, item, (path, kb))
            out += b"}"
    else:
        _ctl_write_struct(out, t, x, path, b"{")


def _ctl_write_struct(out: bytearray, t: _CtlType, x: typing.Any, path: _CtlPath, head: bytes) -> None:
    """A struct, or a payload when head starts it with the "function" member."""
    if not isinstance(x, t.cls):
        raise _ctl_fail(path, "expected %s, got %s" % (t.name, _ctl_got(x)))
    out += head
    first = head == b"{"
    for f in t.fields:
        value = getattr(x, f.attr)
        if value is None:
            if f.optional:
                continue
            if f.type.kind != "json":
                raise _ctl_fail(path, 'missing required field "%s"' % f.wire.decode("utf-8"))
        if not first:
            out += b","
        first = False
        out += _ctl_string_bytes(f.wire) + b":"
        p = (path, f.wire)
        _ctl_write(out, f.type, value, p)
        if f.length is not None and value is not None:
            _ctl_check_bounds(p, len(value), f.length, "length")
        if f.range is not None:
            _ctl_check_bounds(p, value, f.range, "")
    out += b"}"


def _ctl_to_bytes(t: _CtlType, x: typing.Any) -> bytes:
    out = bytearray()
    _ctl_write(out, t, x, None)
    return bytes(out)


def _ctl_write_bytes(t: _CtlType, x: typing.Any) -> bytes:
    """The JSON text of x; CtlError ctl.InvalidPayload with the reader's words."""
    try:
        return _ctl_to_bytes(t, x)
    except _CtlPathError as e:
        raise _ctl_error("ctl.InvalidPayload", e.text) from None


def _ctl_from_bytes(t: _CtlType, data: typing.Union[bytes, str]) -> typing.Any:
    """Reads data as a value of t; CtlError ctl.InvalidJSON or ctl.InvalidPayload."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    root = _ctl_parse(data)
    try:
        return _ctl_read(t, root, None)
    except _CtlPathError as e:
        raise _ctl_error("ctl.InvalidPayload", e.text) from None


def _ctl_error(error_type: str, message: typing.Union[str, bytes],
               base: "typing.Type[CtlError]" = CtlError) -> CtlError:
    """An error whose class is named by its errorType ("ctl.InvalidPayload"),
    as Lambda's Python runtime reports the class of what a handler raises."""
    if isinstance(message, bytes):
        message = message.decode("utf-8", "surrogateescape")
    cls = _CTL_ERROR_CLASSES.get((error_type, base))
    if cls is None:
        cls = type(error_type, (base,), {"__doc__": "errorType %s" % error_type})
        _CTL_ERROR_CLASSES[(error_type, base)] = cls
    return cls(error_type, message)


_CTL_ERROR_CLASSES: "typing.Dict[typing.Tuple[str, typing.Type[CtlError]], typing.Type[CtlError]]" = {}


def _ctl_error_body(error_type: str, message: str) -> bytes:
    """response.c's error object; text that is not UTF-8 replaced as C replaces it."""
    def text(s: str, fallback: bytes) -> bytes:
        try:
            return _ctl_string_bytes(s.encode("utf-8"))
        except UnicodeEncodeError:
            return fallback
    return (b'{"errorType":' + text(error_type, b'"ctl.Error"') + b',"errorMessage":'
            + text(message, b'"(the message was not valid UTF-8)"') + b"}")


# ---- controllers: dispatch (dispatch.c) -------------------------------------------------------

class _CtlFunction:
    """A function of a controller: names, payload and result types (None:
    no payload fields, or no result), and whether it is async."""

    __slots__ = ("controller", "name", "args", "result", "is_async", "method")

    def __init__(self, controller: str, name: str, args: _CtlType,
                 result: typing.Optional[_CtlType], is_async: bool, method: str) -> None:
        self.controller = controller
        self.name = name
        self.args = args
        self.result = result
        self.is_async = is_async
        self.method = method


class CtlContext:
    """What a handler knows of its invocation: the names, and Lambda's
    context object (None outside Lambda)."""

    def __init__(self, controller: str, function: str, lambda_context: typing.Any) -> None:
        self.controller = controller
        self.function = function
        self.lambda_context = lambda_context


class CtlResponse:
    """An answer: the body's bytes, and the error when it is an error object."""

    def __init__(self, body: bytes, error: typing.Optional[CtlError] = None) -> None:
        self.body = body
        self.error = error


def _ctl_is_record(root: _CtlNode) -> bool:
    keys = [k for k, _, _ in root.items or ()]
    return b"requestContext" in keys and b"requestPayload" in keys and b"function" not in keys


def _ctl_find(controller: str, functions: "typing.Dict[bytes, _CtlFunction]", root: _CtlNode) -> _CtlFunction:
    if root.kind != _CTL_OBJECT:
        names = ("null", "false", "true", "a number", "a string", "an array")
        raise _ctl_error("ctl.InvalidEvent", "the event must be a JSON object, got %s" % names[root.kind])
    fn = None
    for key, _, m in root.items or ():
        if key != b"function":
            continue
        if fn is not None:
            raise _ctl_error("ctl.InvalidEvent", "$.function: duplicate key")
        fn = m
    if fn is None and _ctl_is_record(root):
        raise _ctl_error("ctl.UnknownFunction", "the event is an invocation record (requestContext, "
                         "requestPayload, no \"function\"), but controller %s has no @records function to "
                         "receive it" % controller)
    if fn is None:
        raise _ctl_error("ctl.InvalidEvent", "the event has no \"function\" field naming the function of %s "
                         "to run" % controller)
    if fn.kind != _CTL_STRING or fn.flags:
        raise _ctl_error("ctl.InvalidEvent", "$.function: expected the name of a function, got %s"
                         % ("a malformed string" if fn.kind == _CTL_STRING else "a non-string"))
    f = functions.get(fn.text)
    if f is None:
        shown = _ctl_string_bytes(b"(a long name)" if len(fn.text) > 100 else fn.text)
        raise _ctl_error("ctl.UnknownFunction", b"controller " + controller.encode("utf-8")
                         + b" has no function " + shown)
    return f


def _ctl_dispatch(controller: str, functions: "typing.Dict[bytes, _CtlFunction]", impl: typing.Any,
                  event: bytes, lambda_context: typing.Any = None) -> CtlResponse:
    """One event through a controller: the result's bytes, or the error object."""
    f = None
    try:
        root = _ctl_parse(event)
        f = _ctl_find(controller, functions, root)
        args = f.args.cls() if not f.args.fields else None
        if f.args.fields:
            try:
                args = _ctl_read_struct(f.args, root, None)
            except _CtlPathError as e:
                raise _ctl_error("ctl.InvalidPayload", e.text) from None
        ctx = CtlContext(controller, f.name, lambda_context)
        method = getattr(impl, f.method)
        try:
            result = method(args, ctx)
        except CtlError:
            raise
        except CtlFailed:
            raise _ctl_error("ctl.HandlerError", "%s.%s failed without saying why" % (controller, f.name)) from None
        except Exception as e:  # a handler's own failure: ctl.HandlerError
            raise _ctl_error("ctl.HandlerError", "%s.%s failed: %s: %s"
                             % (controller, f.name, type(e).__name__, e)) from e
        if f.result is None:
            return CtlResponse(b"null")
        try:
            return CtlResponse(_ctl_to_bytes(f.result, result))
        except _CtlPathError as e:
            raise _ctl_error("ctl.InvalidResult", e.text) from None
    except CtlError as e:
        error_type = e.error_type or "ctl.HandlerError"
        return CtlResponse(_ctl_error_body(error_type, e.message), e)


def _ctl_event_bytes(event: typing.Any) -> bytes:
    """The event's JSON text. Lambda's Python runtime hands a handler the event
    already parsed (json.loads): it is written back as JSON, floats with repr
    (the same doubles); its syntax, duplicate keys and bytes were the
    runtime's to judge. Bytes or str are taken as the text itself."""
    if isinstance(event, (bytes, bytearray)):
        return bytes(event)
    if isinstance(event, str):
        return event.encode("utf-8", "surrogatepass")
    return json.dumps(event, ensure_ascii=False, allow_nan=False,
                      separators=(",", ":")).encode("utf-8", "surrogatepass")


def _ctl_lambda_handler(controller: str, functions: "typing.Dict[bytes, _CtlFunction]",
                        impl: typing.Any) -> typing.Callable[[typing.Any, typing.Any], typing.Any]:
    """handler(event, context) for Lambda's Python runtime: the result as a
    Python value (the runtime writes it as JSON), or the error raised as an
    exception whose class name is the errorType ("ctl.InvalidPayload"), which
    is what the runtime reports as errorType."""
    def handler(event: typing.Any, context: typing.Any) -> typing.Any:
        r = _ctl_dispatch(controller, functions, impl, _ctl_event_bytes(event), context)
        if r.error is not None:
            raise r.error
        return json.loads(r.body)
    return handler


# ---- callers: stubs over a boto3 Lambda client -------------------------------------------------

def _ctl_route(variable: str, controller: str) -> str:
    """The function a controller's calls go to: its routing variable, or its name."""
    return os.environ.get(variable) or controller


class _CtlCaller:
    """A controller's stubs share this: the boto3 Lambda client (made on
    first use when none is given: boto3 is needed only by callers) and the
    function name."""

    def __init__(self, controller: str, variable: str, lambda_client: typing.Any = None,
                 function_name: typing.Optional[str] = None) -> None:
        self._ctl_controller = controller
        self._ctl_function_name = function_name or _ctl_route(variable, controller)
        self._ctl_client = lambda_client

    def _ctl_lambda(self) -> typing.Any:
        if self._ctl_client is None:
            # Imported here: only callers need boto3.
            self._ctl_client = importlib.import_module("boto3").client("lambda")
        return self._ctl_client

    def _ctl_event(self, f: _CtlFunction, args: typing.Any) -> bytes:
        out = bytearray()
        try:
            _ctl_write_struct(out, f.args, args, None, b'{"function":' + _ctl_string_bytes(f.name.encode("utf-8")))
        except _CtlPathError as e:
            raise _ctl_error("ctl.InvalidArguments", e.text, CtlInvalidArguments) from None
        return bytes(out)

    def _ctl_send(self, f: _CtlFunction, args: typing.Any) -> None:
        event = self._ctl_event(f, args)
        r = self._ctl_lambda().invoke(FunctionName=self._ctl_function_name, InvocationType="Event",
                                      Payload=event)
        status = r.get("StatusCode")
        if status != 202:
            raise _ctl_error("ctl.ServiceError", "%s.%s: Lambda answered status %s to an Event invocation"
                             % (self._ctl_controller, f.name, status), CtlTransportError)

    def _ctl_call(self, f: _CtlFunction, args: typing.Any) -> typing.Any:
        event = self._ctl_event(f, args)
        r = self._ctl_lambda().invoke(FunctionName=self._ctl_function_name,
                                      InvocationType="RequestResponse", Payload=event)
        body = r["Payload"].read()
        if r.get("FunctionError"):
            try:
                err = json.loads(body)
                error_type, message = str(err["errorType"]), str(err["errorMessage"])
            except (ValueError, KeyError, TypeError):
                error_type, message = "ctl.HandlerError", body.decode("utf-8", "replace")
            raise _ctl_error(error_type, message, CtlFunctionError)
        if f.result is None:
            return None
        try:
            return _ctl_from_bytes(f.result, body)
        except CtlError as e:
            raise _ctl_error("ctl.InvalidResult", "%s.%s answered a result that breaks the contract: %s"
                             % (self._ctl_controller, f.name, e.message), CtlTransportError) from None
