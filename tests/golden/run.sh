#!/bin/sh
# Golden end-to-end tests: each tests/golden/<case>/ holds `args` (the
# command line after "ksplat", paths relative to the top of the tree),
# `status` (the expected exit status) and `expected` (the expected output);
# an optional `stdin` names a file fed to standard input.
# UPDATE=1 rewrites `expected` and `status`: review the diff like code.
# Output is TAP.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
KSPLAT=${KSPLAT:-$top/ksplat}
export TZ=UTC LC_ALL=C NO_COLOR=1
cd "$top" || exit 2
n=0 fail=0
cases=$(ls -d tests/golden/*/ 2>/dev/null)
echo "1..$(echo "$cases" | wc -w)"
for dir in $cases; do
	n=$((n + 1))
	name=$(basename "$dir")
	args=$(cat "$dir/args")
	out=$(mktemp)
	stdin=/dev/null
	[ -f "$dir/stdin" ] && stdin=$(cat "$dir/stdin")
	# shellcheck disable=SC2086
	$KSPLAT $args <"$stdin" >"$out" 2>&1
	status=$?
	if [ "${UPDATE:-0}" = 1 ]; then
		cp "$out" "$dir/expected"
		echo "$status" >"$dir/status"
	fi
	if [ "$status" != "$(cat "$dir/status")" ]; then
		echo "not ok $n - $name: exit status $status, want $(cat "$dir/status")"
		fail=$((fail + 1))
	elif ! diff -u "$dir/expected" "$out" >"$out.diff"; then
		echo "not ok $n - $name: output differs"
		sed 's/^/# /' "$out.diff" | head -40
		fail=$((fail + 1))
	else
		echo "ok $n - $name"
	fi
	rm -f "$out" "$out.diff"
done
echo "golden: $((n - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
