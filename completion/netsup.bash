# SPDX-License-Identifier: GPL-2.0-or-later
# bash completion for netsup(1), loaded by bash-completion on demand
#
#   netsup [OPTION]... [--] COMMAND [ARG]...
#
# Options as `netsup --help` lists them (tests/36-install.bats checks that
# each is offered); after -d and --allow, FAMILY= and the stacks that a
# bare NAME finds (/dev/net, /run/netns, and for a user other than root
# the user's own directory); from COMMAND on, COMMAND's own completion.

# _netsup_stack_names: the bare NAMEs of the stacks in /dev/net, /run/netns
# and, for a user other than root, $XDG_RUNTIME_DIR/netsup (or
# /tmp/netsup-UID): mounted namespaces, links to a holder's namespace, and
# the sockets of userspace stack daemons (netsup-lwip)
_netsup_stack_names()
{
	local dir f dirs=(/dev/net /run/netns)
	if ((EUID != 0)); then
		if [[ $XDG_RUNTIME_DIR == /* ]]; then
			dirs+=("$XDG_RUNTIME_DIR/netsup")
		else
			dirs+=("/tmp/netsup-$EUID")
		fi
	fi
	for dir in "${dirs[@]}"; do
		for f in "$dir"/*; do
			# a regular file (a namespace) or a socket; not tun
			[[ -f $f || -S $f ]] && printf '%s\n' "${f##*/}"
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
		# options with a value in the next word: that word is no command
		-d | --default | --allow | --log | --publish | --route) ((i++)) ;;
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
	--publish)
		return	# [IP:]HOSTPORT:PORT[/tcp|/udp]: nothing to offer
		;;
	--route)
		return	# CIDR=STACK: nothing to offer before the =
		;;
	esac

	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "-d --default -w --wait --die-with-parent --allow --isolate --view
			--allow-io-uring --userspace --user-net --publish --disable-host-loopback --route --log -v --verbose -h --help -V --version" -- "$cur")
		return
	fi
	mapfile -t COMPREPLY < <(compgen -c -- "$cur")
}
complete -F _netsup netsup
