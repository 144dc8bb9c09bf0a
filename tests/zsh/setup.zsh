# SPDX-License-Identifier: GPL-2.0-or-later
# setup.zsh - sourced by the interactive zsh of complete.zsh: compinit, TAB
# as complete-word, ^P printing the end mark, and a compadd that prints each
# match it adds (calls with -O, -A or -D only compute: passed through)
setopt nobanghist
PS1=''
autoload -Uz compinit
compinit -u -D
bindkey '^I' complete-word
zle_end() { print -n -- "\n${(U):-::end::}" }
zle -N zle_end
bindkey '^P' zle_end
zstyle ':completion:*' list-grouped false
zstyle ':completion:*' insert-tab false
zstyle ':completion:*' list-prompt ''
zstyle ':completion:*' select-prompt ''
LISTMAX=100000
compadd() {
	if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
		builtin compadd "$@"
		return
	fi
	local -a __hits
	builtin compadd -A __hits "$@"
	local ret=$?
	(( $#__hits )) && print -lr -- "" ${(@)^__hits/#/${(U):-::hit::}} >&2
	builtin compadd "$@"
	return ret
}
exec 2>&1
