# SPDX-License-Identifier: GPL-2.0-or-later
# bash completion for netsup(1), loaded by bash-completion on demand
#
#   netsup [OPTION]... [--] COMMAND [ARG]...
#
# Options as `netsup --help` lists them (tests/36-install.bats checks that
# each is offered); after -d, FAMILY= and the stacks of /dev/net and
# /run/netns; from COMMAND on, COMMAND's own completion.

# _netsup_stack_names: the bare NAMEs of the stacks in /dev/net and /run/netns
_netsup_stack_names()
{
	local dir f
	for dir in /dev/net /run/netns; do
		for f in "$dir"/*; do
			# a stack is a regular file (a mounted namespace); not tun
			[[ -f $f ]] && printf '%s\n' "${f##*/}"
		done
	done
}

_netsup()
{
	local cur prev words cword i cmd=0
	_init_completion -n = || return

	# the command starts at the first non-option, or after --
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		--) cmd=$((i + 1)); break ;;
		-d | --default | --allow | --log) ((i++)) ;;
		-*) ;;
		*) cmd=$i; break ;;
		esac
	done
	if ((cmd)); then
		_command_offset "$cmd"
		return
	fi

	case $prev in
	-d | --default)
		if [[ $cur == *=* ]]; then
			# bash breaks words at '=': complete what follows it
			if [[ ${cur#*=} == */* ]]; then
				cur=${cur#*=}
				_filedir
			else
				mapfile -t COMPREPLY < <(compgen -W "$(_netsup_stack_names)" -- "${cur#*=}")
			fi
		elif [[ $cur == */* ]]; then
			_filedir
		else
			mapfile -t COMPREPLY < <(compgen -W "inet= inet6= netlink= packet= ip= $(_netsup_stack_names)" -- "$cur")
			[[ ${COMPREPLY[*]} == *= ]] && compopt -o nospace
		fi
		return
		;;
	--allow)
		if [[ $cur == */* ]]; then
			_filedir
		else
			mapfile -t COMPREPLY < <(compgen -W "$(_netsup_stack_names)" -- "$cur")
		fi
		return
		;;
	--log)
		_filedir
		return
		;;
	esac

	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "-d --default -w --wait --allow --isolate --view
			--allow-io-uring --userspace --user-net --publish --log -v --verbose -h --help -V --version" -- "$cur")
		return
	fi
	mapfile -t COMPREPLY < <(compgen -c -- "$cur")
}
complete -F _netsup netsup
