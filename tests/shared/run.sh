#!/bin/sh
# Tests over the real logs in ../shared (the splat rig and the syzkaller
# corpus). They skip, saying so, where ../shared is absent (a user's clone).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
KSPLAT=${KSPLAT:-$top/ksplat}
shared=${KSPLAT_SHARED:-$top/../shared}
kinds=sleep-in-atomic,schedule-while-atomic,invalid-wait-context,smp-processor-id-preemptible
lockdep_kinds=lockdep-circular,lockdep-recursive,lockdep-inconsistent,lockdep-irq-inversion,lockdep-bad-unlock,hung-task,soft-lockup,rcu-stall,rcu-context-switch,warning,null-deref
if [ ! -d "$shared/rig" ] || [ ! -d "$shared/corpus/syzkaller" ] || [ ! -d "$shared/docs/examples" ]; then
	echo "shared: SKIP: $shared not found (the rig and corpus tests need ../shared beside the tree)"
	echo "shared: 0 passed, 0 failed, 9 skipped"
	exit 0
fi
if ! command -v python3 >/dev/null; then
	echo "shared: FAIL: python3 is needed to read the expected answers" >&2
	exit 1
fi
pass=0 fail=0
if python3 "$top/tests/shared/check_rig.py" --rig "$shared/rig" --ksplat "$KSPLAT" --kinds "$kinds"; then
	pass=$((pass + 1))
else
	fail=$((fail + 1))
fi
if python3 "$top/tests/shared/check_rig.py" --rig "$shared/rig" --ksplat "$KSPLAT" --kinds "$lockdep_kinds"; then
	pass=$((pass + 1))
else
	fail=$((fail + 1))
fi
if python3 "$top/tests/shared/check_syzkaller.py" --corpus "$shared/corpus/syzkaller" --ksplat "$KSPLAT" \
	--prefixes "BUG: sleeping function|BUG: scheduling while atomic|BUG: using " --kinds "$kinds"; then
	pass=$((pass + 1))
else
	fail=$((fail + 1))
fi
if python3 "$top/tests/shared/check_examples.py" --examples "$shared/docs/examples" --ksplat "$KSPLAT" \
	--expected "$top/tests/shared/examples.tsv"; then
	pass=$((pass + 1))
else
	fail=$((fail + 1))
fi
if python3 "$top/tests/shared/check_symbols.py" --rig "$shared/rig" --ksplat "$KSPLAT"; then
	pass=$((pass + 1))
else
	fail=$((fail + 1))
fi
if python3 "$top/tests/shared/check_rawaddr.py" --rig "$shared/rig" --ksplat "$KSPLAT"; then
	pass=$((pass + 1))
else
	fail=$((fail + 1))
fi
if python3 "$top/tests/shared/check_sarif.py" --shared "$shared" --ksplat "$KSPLAT" --samples "$top/samples"; then
	pass=$((pass + 1))
else
	fail=$((fail + 1))
fi
if python3 "$top/tests/shared/check_debuginfod.py" --rig "$shared/rig" --ksplat "$KSPLAT"; then
	pass=$((pass + 1))
else
	fail=$((fail + 1))
fi
# The whole corpus: every report's title, and the families that must be exact.
if python3 "$top/bench/accuracy.py" --ksplat "$KSPLAT" --corpus "$shared/corpus/syzkaller" --check; then
	pass=$((pass + 1))
else
	fail=$((fail + 1))
fi
echo "shared: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
