#!/usr/bin/zsh -f
# SPDX-License-Identifier: GPL-2.0-or-later
# complete.zsh COMPDIR WORD...: the matches zsh's completion offers for the
# last WORD (which may be ''), one per line, sorted.
#
# An interactive zsh runs on a pseudo-terminal (zsh/zpty) with COMPDIR
# first on $fpath and compinit run (setup.zsh); WORDs are typed, then TAB
# (complete-word), then ^P, a widget that prints an end mark.  setup.zsh's
# compadd prints every match it is given, marked, on the terminal.
zmodload zsh/zpty || exit 2
compdir=$1; shift
zpty z zsh -f -i
zpty -w z "stty -echo; fpath=(${(q)compdir} \$fpath); source ${(q)${0:A:h}}/setup.zsh"
zpty -w -n z "$*"$'\t'
zpty -w -n z $'\C-P'
out=
for i in {1..400}; do		# 20 s at most
	if zpty -r -t z line 2>/dev/null; then
		out+=$line
		[[ $out == *::END::* ]] && break
	else
		sleep 0.05
	fi
done
[[ -n $CAPDEBUG ]] && print -r -- "$out" >&2
print -r -- "$out" | tr -d '\r' | sed -n 's/.*::HIT::\(.*\)/\1/p' | sort -u
zpty -d z
