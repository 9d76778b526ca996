#!/bin/sh
# bless.sh [BUILD_DIR] [REGEX]: rewrite the expected transcripts of the golden
# cases (and of the ctlc lsp sessions, tests/lsp/golden, and the VS Code
# grammar's tokens, tests/editors/sample.tokens) from what ctlc
# prints now. Review the result with `git diff` before
# committing: a blessed mistake is a test that passes for the wrong reason.
set -eu
build=${1:-build}
regex=${2:-.}
CTL_BLESS=1 ctest --test-dir "$build" -L "cases|lsp|editors" -R "$regex" --output-on-failure
