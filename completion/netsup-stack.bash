# SPDX-License-Identifier: GPL-2.0-or-later
# bash completion for netsup-stack(8), loaded by bash-completion on demand
#
#   netsup-stack add|del|list|info|ps [OPTION]... [STACK|DIR]...
#
# Commands and options as `netsup-stack --help` lists them
# (tests/36-install.bats checks that each is offered); STACK: the bare
# NAMEs of /dev/net and /run/netns, or a path once it holds a '/'.

# _netsup_stack_stacks: the bare NAMEs of the stacks in /dev/net and /run/netns
_netsup_stack_stacks()
{
	local dir f
	for dir in /dev/net /run/netns; do
		for f in "$dir"/*; do
			# a stack is a regular file (a mounted namespace); not tun
			[[ -f $f ]] && printf '%s\n' "${f##*/}"
		done
	done
}

_netsup_stack()
{
	local cur prev words cword i cmd="" opts
	_init_completion || return

	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		--) break ;;
		-*) ;;
		*) cmd=${words[i]}; break ;;
		esac
	done

	if [[ $cur == -* ]]; then
		case $cmd in
		"") opts="-h --help -V --version" ;;
		del) opts="-f --force" ;;
		list | info | ps) opts="--json" ;;
		esac
		mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
		return
	fi
	case $cmd in
	"")
		mapfile -t COMPREPLY < <(compgen -W "add del list info ps" -- "$cur")
		;;
	del | info | ps)
		if [[ $cur == */* ]]; then
			_filedir
		else
			mapfile -t COMPREPLY < <(compgen -W "$(_netsup_stack_stacks)" -- "$cur")
		fi
		;;
	list)
		_filedir -d
		;;
	add)
		[[ $cur == */* ]] && _filedir
		;;
	esac
}
complete -F _netsup_stack netsup-stack
