"""c_driver.py CTL_ECHO EVENT...: the C test controller as a driver of
verdict.py: runs `CTL_ECHO invoke -` on each event file and prints one JSON
line {"file": NAME, "stdout": TEXT, "exit": N} per file."""
import json
import os
import subprocess
import sys


def main() -> int:
    echo = sys.argv[1]
    for path in sys.argv[2:]:
        with open(path, "rb") as f:
            r = subprocess.run([echo, "invoke", "-"], stdin=f, capture_output=True, check=False)
        if r.stderr:
            print("c_driver: %s wrote to stderr on %s: %s" % (echo, path, r.stderr[:400]), file=sys.stderr)
            return 1
        print(json.dumps({"file": os.path.basename(path),
                          "stdout": r.stdout.decode("utf-8", "backslashreplace"), "exit": r.returncode}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
