#!/bin/sh
# Every C and BPF source is in the project's kernel style (.clang-format).
# Usage: test-format.sh BUILD_DIR SOURCE_DIR
set -u
cd "$2" || exit 1
command -v clang-format >/dev/null || { echo "SKIP: no clang-format"; exit 77; }
bad=$(git ls-files '*.c' '*.h' 2>/dev/null | while read -r f; do
	clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || echo "$f"
done)
if [ -n "$bad" ]; then
	echo "not formatted (run clang-format -i):"
	echo "$bad"
	exit 1
fi
echo "all sources formatted"
