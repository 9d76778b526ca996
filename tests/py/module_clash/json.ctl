// A spec whose Python module would be named json: ctl_runtime.py imports
// the standard json, which a json.py beside it would replace.
struct Point { x: int; }
