# SPDX-License-Identifier: GPL-2.0-or-later
# bash completion for netsup-stack(8), loaded by bash-completion on demand
#
#   netsup-stack add|del|list|info|ps [OPTION]... [STACK|DIR]...
#   netsup-stack add STACK --lwip --link URL [--ip A/L] [--gw G] [--ip6 A/L]
#                [--gw6 G] [--mtu N] [--netns PATH]
#
# Commands and options as `netsup-stack --help` lists them
# (tests/36-install.bats checks that each is offered); STACK: the bare
# NAMEs of /dev/net, /run/netns and (not for root) the user's own directory,
# or a path once it holds a '/'.

# _netsup_stack_dirs: where bare NAMEs are looked up: /dev/net, /run/netns
# and, for a user other than root, $XDG_RUNTIME_DIR/netsup (or
# /tmp/netsup-UID)
_netsup_stack_dirs()
{
	printf '%s\n' /dev/net /run/netns
	if ((EUID != 0)); then
		if [[ $XDG_RUNTIME_DIR == /* ]]; then
			printf '%s\n' "$XDG_RUNTIME_DIR/netsup"
		else
			printf '%s\n' "/tmp/netsup-$EUID"
		fi
	fi
}

# _netsup_stack_stacks [-n]: the bare NAMEs of the stacks in those
# directories: mounted namespaces, links to a holder's namespace, and the
# sockets of userspace stack daemons; with -n, the paths of the
# namespaces only
_netsup_stack_stacks()
{
	local dir f
	while read -r dir; do
		for f in "$dir"/*; do
			# a stack is a regular file (a mounted namespace, or a
			# holder's, through its link) or a socket (a userspace
			# stack); not tun
			if [[ $1 == -n ]]; then
				[[ -f $f ]] && printf '%s\n' "$f"
			else
				[[ -f $f || -S $f ]] && printf '%s\n' "${f##*/}"
			fi
		done
	done < <(_netsup_stack_dirs)
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

	# the values of add --lwip's options
	case $prev in
	--link)
		mapfile -t COMPREPLY < <(compgen -W "tap:// vde:// slirp:// vxvde:// ptp://" -- "$cur")
		compopt -o nospace
		return
		;;
	--netns)
		# a network namespace by its path: the namespace stacks (not the
		# sockets), then any file, such as /proc/PID/ns/net
		mapfile -t COMPREPLY < <(compgen -W "$(_netsup_stack_stacks -n)" -- "$cur")
		[[ $cur == */* ]] && _filedir
		return
		;;
	--log)
		_filedir
		return
		;;
	--ip | --gw | --ip6 | --gw6 | --mtu)
		return
		;;
	esac

	if [[ $cur == -* ]]; then
		local lwip="--lwip --link --ip --gw --ip6 --gw6 --mtu --netns --log -v --verbose"
		case $cmd in
		"") opts="-h --help -V --version -f --force --json $lwip" ;;
		add) opts="$lwip" ;;
		del) opts="-f --force" ;;
		list | info | ps | identify) opts="--json" ;;
		esac
		mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
		return
	fi
	case $cmd in
	"")
		mapfile -t COMPREPLY < <(compgen -W "add del list info ps identify" -- "$cur")
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
	identify)
		mapfile -t COMPREPLY < <(compgen -W "$(cd /proc && printf '%s\n' [1-9]*)" -- "$cur")
		;;
	add)
		[[ $cur == */* ]] && _filedir
		;;
	esac
}
complete -F _netsup_stack netsup-stack
