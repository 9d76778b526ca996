#!/bin/sh
# bless.sh [BUILD_DIR] [REGEX]: rewrite the expected transcripts of the fmt
# golden cases from what ctlc prints now. Review with `git diff` before
# committing: a blessed mistake is a test that passes for the wrong reason.
set -eu
build=${1:-build}
regex=${2:-.}
CTL_BLESS=1 ctest --test-dir "$build" -L fmt -R "fmt/case/.*$regex" --output-on-failure
