#!/usr/bin/env python3
"""screenshot.py CTLC OUT.svg: a picture of ctl in an editor, made again
from scratch: Neovim (Debian's nvim, embedded) opens tests/lsp/specs/shop.ctl
with an error in it, ctlc lsp's diagnostic shows, and a hover is open on a
field; the screen is read through Neovim's UI protocol (msgpack-RPC,
nvim_ui_attach with ext_linegrid: the grid of cells and their highlights)
and written as an SVG. The README shows it (editors/screenshot.svg).

Standard library only: the few msgpack types the UI protocol uses are
coded here. editors/screenshot.lua is the Neovim side."""
import os
import shutil
import struct
import subprocess
import sys
import tempfile

WIDTH, HEIGHT = 100, 19
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# ---- msgpack: what the UI protocol needs -------------------------------------------------------


def pack(v):
    if v is None:
        return b"\xc0"
    if v is True:
        return b"\xc3"
    if v is False:
        return b"\xc2"
    if isinstance(v, int):
        if 0 <= v < 128:
            return bytes([v])
        if -32 <= v < 0:
            return struct.pack("b", v)
        return b"\xd3" + struct.pack(">q", v)
    if isinstance(v, str):
        b = v.encode()
        return (bytes([0xa0 | len(b)]) if len(b) < 32 else b"\xdb" + struct.pack(">I", len(b))) + b
    if isinstance(v, (list, tuple)):
        head = bytes([0x90 | len(v)]) if len(v) < 16 else b"\xdd" + struct.pack(">I", len(v))
        return head + b"".join(pack(x) for x in v)
    if isinstance(v, dict):
        head = bytes([0x80 | len(v)]) if len(v) < 16 else b"\xdf" + struct.pack(">I", len(v))
        return head + b"".join(pack(k) + pack(x) for k, x in v.items())
    raise TypeError(type(v))


class Reader:
    def __init__(self, stream):
        self.s = stream

    def take(self, n):
        b = self.s.read(n)
        if len(b) != n:
            raise EOFError("nvim closed its output")
        return b

    def unpack(self):
        t = self.take(1)[0]
        if t < 0x80:
            return t
        if t >= 0xe0:
            return t - 0x100
        if 0x80 <= t <= 0x8f:
            return self.map(t & 0x0f)
        if 0x90 <= t <= 0x9f:
            return [self.unpack() for _ in range(t & 0x0f)]
        if 0xa0 <= t <= 0xbf:
            return self.take(t & 0x1f).decode("utf-8", "replace")
        fixed = {0xcc: ">B", 0xcd: ">H", 0xce: ">I", 0xcf: ">Q", 0xd0: ">b", 0xd1: ">h", 0xd2: ">i", 0xd3: ">q",
                 0xca: ">f", 0xcb: ">d"}
        if t in fixed:
            f = fixed[t]
            return struct.unpack(f, self.take(struct.calcsize(f)))[0]
        if t == 0xc0:
            return None
        if t in (0xc2, 0xc3):
            return t == 0xc3
        sized = {0xd9: ">B", 0xda: ">H", 0xdb: ">I", 0xc4: ">B", 0xc5: ">H", 0xc6: ">I"}
        if t in sized:
            n = struct.unpack(sized[t], self.take(struct.calcsize(sized[t])))[0]
            b = self.take(n)
            return b.decode("utf-8", "replace") if t >= 0xd9 else b
        if t in (0xdc, 0xdd):
            n = struct.unpack(">H" if t == 0xdc else ">I", self.take(2 if t == 0xdc else 4))[0]
            return [self.unpack() for _ in range(n)]
        if t in (0xde, 0xdf):
            n = struct.unpack(">H" if t == 0xde else ">I", self.take(2 if t == 0xde else 4))[0]
            return self.map(n)
        if 0xd4 <= t <= 0xd8:  # fixext: a handle (buffer, window, tabpage)
            self.take(1 + (1 << (t - 0xd4)))
            return None
        if t in (0xc7, 0xc8, 0xc9):
            n = struct.unpack({0xc7: ">B", 0xc8: ">H", 0xc9: ">I"}[t], self.take({0xc7: 1, 0xc8: 2, 0xc9: 4}[t]))[0]
            self.take(1 + n)
            return None
        raise ValueError("msgpack type 0x%02x" % t)

    def map(self, n):
        out = {}
        for _ in range(n):
            k = self.unpack()
            out[k] = self.unpack()
        return out


# ---- the screen --------------------------------------------------------------------------------


class Screen:
    def __init__(self):
        self.cells = [[(" ", 0)] * WIDTH for _ in range(HEIGHT)]
        self.attrs = {0: {}}
        self.fg, self.bg, self.sp = 0xd4d4d4, 0x1e1e1e, 0xff0000

    def redraw(self, events):
        for ev in events:
            name, calls = ev[0], ev[1:]
            for args in calls:
                getattr(self, "on_" + name, lambda *a: None)(*args)

    def on_default_colors_set(self, fg, bg, sp, *_):
        self.fg = fg if fg >= 0 else self.fg
        self.bg = bg if bg >= 0 else self.bg
        self.sp = sp if sp >= 0 else self.sp

    def on_hl_attr_define(self, hl, rgb, *_):
        self.attrs[hl] = rgb

    def on_grid_clear(self, grid):
        self.cells = [[(" ", 0)] * WIDTH for _ in range(HEIGHT)]

    def on_grid_line(self, grid, row, col, cells, *_):
        hl = 0
        for cell in cells:
            text = cell[0]
            if len(cell) > 1:
                hl = cell[1]
            for _ in range(cell[2] if len(cell) > 2 else 1):
                if 0 <= row < HEIGHT and 0 <= col < WIDTH:
                    self.cells[row][col] = (text, hl)
                col += 1

    def on_grid_scroll(self, grid, top, bot, left, right, rows, cols):
        src = [row[:] for row in self.cells]
        for r in range(top, bot):
            if top <= r + rows < bot:
                self.cells[r][left:right] = src[r + rows][left:right]

    def svg(self):
        cw, ch, pad = 8.4, 17, 10

        def color(rgb):
            return "#%06x" % rgb

        out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d">'
               % (WIDTH * cw + 2 * pad, HEIGHT * ch + 2 * pad, WIDTH * cw + 2 * pad, HEIGHT * ch + 2 * pad),
               '<rect width="100%%" height="100%%" fill="%s"/>' % color(self.bg),
               '<g font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="14px" '
               'xml:space="preserve">']
        for r, row in enumerate(self.cells):
            y = pad + r * ch
            c = 0
            while c < WIDTH:
                hl = row[c][1]
                end = c
                while end < WIDTH and row[end][1] == hl:
                    end += 1
                a = self.attrs.get(hl, {})
                fg, bg = a.get("foreground", self.fg), a.get("background", self.bg)
                if a.get("reverse"):
                    fg, bg = bg, fg
                x = pad + c * cw
                if bg != self.bg:
                    out.append('<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"/>'
                               % (x, y, (end - c) * cw, ch, color(bg)))
                text = "".join(t for t, _ in row[c:end])
                if text.strip():
                    style = ""
                    if a.get("bold"):
                        style += ' font-weight="bold"'
                    if a.get("italic"):
                        style += ' font-style="italic"'
                    esc = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                    out.append('<text x="%.1f" y="%d" fill="%s"%s textLength="%.1f">%s</text>'
                               % (x, y + ch - 4, color(fg), style, len(text) * cw, esc))
                if a.get("undercurl") or a.get("underline"):
                    sp = color(a.get("special", self.sp))
                    out.append('<path d="M%.1f %d %s" stroke="%s" fill="none" stroke-width="1"/>'
                               % (x, y + ch - 1, " ".join("l%.1f %d" % (cw / 2, -2 if i % 2 == 0 else 2)
                                                          for i in range(2 * (end - c))), sp))
                c = end
        out.append("</g></svg>")
        return "\n".join(out) + "\n"


# ---- the session -------------------------------------------------------------------------------


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: screenshot.py CTLC OUT.svg")
    if not shutil.which("nvim"):
        raise SystemExit("screenshot.py: needs nvim (Debian's neovim)")
    ctlc, out_path = os.path.abspath(sys.argv[1]), sys.argv[2]
    work = tempfile.mkdtemp()
    try:
        specs = os.path.join(ROOT, "tests", "lsp", "specs")
        shutil.copy(os.path.join(specs, "common.ctl"), work)
        text = open(os.path.join(specs, "shop.ctl"), encoding="utf-8").read().replace("cancel { id: string; }", "cancel { id: strng; }")
        open(os.path.join(work, "shop.ctl"), "w", encoding="utf-8").write(text)
        lines = text.split("\n")
        hover_line = next(i for i, l in enumerate(lines) if "items: list<Item>" in l) + 1
        hover_col = lines[hover_line - 1].index("items")
        env = dict(os.environ, CTLC=ctlc, SPEC=os.path.join(work, "shop.ctl"), HOVER_LINE=str(hover_line),
                   HOVER_COL=str(hover_col))
        nvim = subprocess.Popen(["nvim", "--embed", "-u", "NONE", "-i", "NONE", "--cmd",
                                 "set runtimepath^=" + os.path.join(HERE, "vim")],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, cwd=work)
        reader = Reader(nvim.stdout)
        screen = Screen()
        msgid = [0]

        def call(method, *args):
            msgid[0] += 1
            nvim.stdin.write(pack([0, msgid[0], method, list(args)]))
            nvim.stdin.flush()
            while True:
                msg = reader.unpack()
                if msg[0] == 2 and msg[1] == "redraw":
                    screen.redraw(msg[2])
                elif msg[0] == 1 and msg[1] == msgid[0]:
                    if msg[2]:
                        raise SystemExit("screenshot.py: %s: %s" % (method, msg[2]))
                    return msg[3]

        call("nvim_ui_attach", WIDTH, HEIGHT, {"rgb": True, "ext_linegrid": True})
        call("nvim_command", "luafile " + os.path.join(HERE, "screenshot.lua"))
        if not call("nvim_get_var", "screenshot_ready"):
            raise SystemExit("screenshot.py: no diagnostic or no hover window")
        call("nvim_command", "redraw!")
        call("nvim_eval", "1")  # the redraw's events come before this answer
        nvim.stdin.write(pack([2, "nvim_command", ["qall!"]]))
        nvim.stdin.close()
        nvim.wait(timeout=30)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    with open(out_path, "w", encoding="utf-8") as f:
        f.write(screen.svg())
    print("wrote %s" % out_path)


if __name__ == "__main__":
    main()
