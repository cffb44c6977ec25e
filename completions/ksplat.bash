# SPDX-License-Identifier: GPL-2.0-or-later
# bash completion for ksplat(1).
#
# Works with or without the bash-completion package: its _filedir is used when
# loaded (tilde expansion, quoting), plain compgen otherwise.

# Options as ksplat --help lists them; a trailing '=' marks those that take a
# value, which may then also be the next word (--format json, -F json). --kmsg
# and --boot take theirs only attached, so they carry no '='.
_ksplat_options='-F= --format= -f --follow --kmsg --journal --journal-file=
	--journal-dir= -b --boot --since= --until= --emit-journal --idle-timeout=
	--top= -q --quiet -v --verbose --group-by= --baseline= --write-baseline=
	--suppress= --fail-on= --color= --max-line= --max-lines= --max-open=
	--max-signatures= --report-timeout= --vmlinux= --modules= --system-map=
	--kallsyms= --debuginfod --srcdir= --no-host-symbols -h --help -V --version'

# --fail-on: the kinds of the man page's KINDS section and the severity classes.
_ksplat_fail_on='sleep-in-atomic schedule-while-atomic invalid-wait-context
	smp-processor-id-preemptible lockdep-circular lockdep-recursive
	lockdep-inconsistent lockdep-irq-inversion lockdep-irq-unsafe-order
	lockdep-bad-unlock lockdep-held-lock-freed lockdep-lock-held-return-user
	lockdep-still-has-locks lockdep-nested-lock lockdep-rcu-suspicious
	lockdep-non-static-key lockdep-capacity hung-task soft-lockup hard-lockup
	rcu-stall kasan kfence kmsan kcsan ubsan null-deref paging-fault gpf
	kernel-bug oops panic workqueue-leak spinlock-bug warning other
	deadlock atomic crash lockdep'

# COMPREPLY from compgen, a reply a line: file names may hold blanks or '*'.
_ksplat_compgen()
{
	mapfile -t COMPREPLY < <(compgen "$@")
}

# File names (directories only with -d) starting with $cur.
_ksplat_files()
{
	if declare -F _filedir >/dev/null; then
		_filedir "$@"
		return
	fi
	compopt -o filenames 2>/dev/null
	if [[ $1 == -d ]]; then
		_ksplat_compgen -d -- "$cur"
	else
		_ksplat_compgen -f -- "$cur"
	fi
}

_ksplat()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev='' opt='' prefix='' i
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	COMPREPLY=()

	# After "--", every word is a file.
	for ((i = 1; i < COMP_CWORD; i++)); do
		if [[ ${COMP_WORDS[i]} == -- ]]; then
			_ksplat_files
			return 0
		fi
	done

	# "--opt=val": with '=' in COMP_WORDBREAKS (the default) bash splits it
	# into "--opt" "=" "val", or "--opt" "=" while val is empty; without, it
	# stays one word, whose "--opt=" the replies must then repeat.
	if [[ $cur == = ]]; then
		opt=$prev cur=
	elif [[ $prev == = ]] && ((COMP_CWORD >= 2)); then
		opt=${COMP_WORDS[COMP_CWORD - 2]}
	elif [[ $cur == --*=* ]]; then
		opt=${cur%%=*} prefix=${cur%%=*}= cur=${cur#*=}
	elif [[ " $_ksplat_options " == *[[:space:]]"$prev="[[:space:]]* ]]; then
		opt=$prev
	elif [[ ($prev == -b || $prev == --boot) && $cur != -* ]]; then
		# The boot may be the next word; files cannot follow -b anyway.
		return 0
	fi

	case $opt in
	-F | --format)
		_ksplat_compgen -W 'text json jsonl journal-export sarif dot' -- "$cur" ;;
	--color | --colour)
		_ksplat_compgen -W 'auto always never' -- "$cur" ;;
	--group-by)
		_ksplat_compgen -W 'signature function lock' -- "$cur" ;;
	--fail-on)
		# A comma-separated list: complete the item after the last comma and
		# keep the items before it.
		_ksplat_compgen -P "${cur%"${cur##*,}"}" -W "$_ksplat_fail_on" -- "${cur##*,}" ;;
	--since | --until)
		_ksplat_compgen -W 'today yesterday now' -- "$cur" ;;
	--vmlinux | --system-map | --kallsyms | --journal-file | --baseline | \
	--write-baseline | --suppress)
		_ksplat_files ;;
	--modules | --srcdir | --journal-dir)
		_ksplat_files -d ;;
	--kmsg)
		_ksplat_files
		[[ -z $cur ]] && COMPREPLY+=(/dev/kmsg) ;;
	?*)
		# Boots and numbers: nothing to offer.
		;;
	*)
		if [[ $cur == -* ]]; then
			_ksplat_compgen -W "${_ksplat_options//=/}" -- "$cur"
		else
			_ksplat_files
		fi
		return 0 ;;
	esac

	if [[ -n $prefix ]]; then
		COMPREPLY=("${COMPREPLY[@]/#/$prefix}")
	fi
	return 0
}
complete -F _ksplat ksplat
