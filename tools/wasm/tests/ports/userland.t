#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The ports' image (make ports: build/ports/initramfs.cpio) as a user
# meets it with make run: bash as the login shell, typed at in a tmux pane,
# and the Debian programs of tools/wasm/ports doing the everyday things:
# ls --color, grep -r, find, sort | uniq -c, make, less, gzip, xz, sed,
# gawk, diff, and git init, add, commit, log, branch and merge.  Each
# command prints a line the screen must show; a program missing from the
# image fails its case by "command not found".

. "$(dirname "$0")/../lib/tap.sh"

cpio=$out/ports/initramfs.cpio
needs "$mod" "$cpio"
# shellcheck source=tools/wasm/tests/lib/tmux.sh
. "$(dirname "$0")/../lib/tmux.sh"
# typed NAME REGEX LINE: types LINE and Enter; the screen must show
# REGEX within 60 s.
typed()
{
	keys -l "$3"
	keys Enter
	t "$1" screen_has 60 "$2"
}

tmux_start \
	"'$host' run '$mod' --cpus 2 --initramfs '$cpio' --append quiet; echo host-status=\$?; sleep 60"
t "the login prompt of bash appears" screen_has 60 'root@wasm:~# ?$'
# shellcheck disable=SC2016 # the guest's shell expands them
{
typed "the login shell is bash 5.2 (\$BASH_VERSION, \$0)" \
	'^bash-5\.2\.[0-9]+ -(/bin/)?bash$' 'echo bash-${BASH_VERSION%%(*} $0'
typed "bash: arrays, [[ ]], arithmetic" '^arr-3-yes-42$' \
	'a=(x y z); [[ abc == a* ]] && m=yes; echo arr-${#a[@]}-$m-$((6*7))'
# (init's TERM is vt102, which dircolors' list of colour terminals lacks.)
typed "ls --color=always colours a directory (coreutils)" \
	'\^\[\[0m\^\[\[01;34mbin\^\[\[0m' 'TERM=xterm ls --color=always /usr | cat -v | head -n 3'
typed "mkdir, echo, grep -r finds a word in a tree" \
	'^/tmp/w/d/e/f:a needle here$' \
	'mkdir -p /tmp/w/d/e && cd /tmp/w && echo "a needle here" >d/e/f && grep -r needle /tmp/w'
typed "find -name" '^found:/tmp/w/d/e/f$' 'find /tmp/w -name f -printf "found:%p\n"'
typed "sort | uniq -c" '^ +2 b$' "printf 'b\\na\\nb\\n' | sort | uniq -c"
typed "make runs a rule of a small Makefile" '^made-42$' \
	"printf 'all: in\\n\\t@echo made-\$\$(cat in)\\nin:\\n\\t@echo 42 >in\\n' >Makefile && make"
typed "gzip -9 and gunzip round trip" '^gz-ok$' \
	'seq 1 20000 >n && gzip -9 -k n && gunzip -c n.gz | cmp - n && echo gz-ok'
typed "xz and unxz round trip" '^xz-ok$' \
	'xz -k n && xz -dc n.xz | cmp - n && echo xz-ok'
typed "sed -i edits a file" '^sed-ok$' \
	"sed -i 's/needle/pin/' d/e/f && grep -q 'a pin here' d/e/f && echo sed-ok"
typed "gawk sums a column" '^sum=200010000$' "gawk '{ s += \$1 } END { print \"sum=\" s }' n"
typed "diff -u shows a change" '^\+a pin here$' 'echo "a needle here" >g; diff -u g d/e/f'
typed "git init, add, commit, log --oneline" '^[0-9a-f]{7} first$' \
	'git config --global user.name T && git config --global user.email t@wasm && git init -q && git add . && git commit -q -m first && git log --oneline | cat'
typed "git branch, a commit on each side, merge" '^merged-4$' \
	'git checkout -q -b topic && echo more >>d/e/f && git commit -q -am second && git checkout -q - && echo x >>n && git commit -q -am third && git merge -q --no-edit topic && echo merged-$(git rev-list --count HEAD)'
typed "git diff shows the worktree's change" '^\+changed$' \
	'echo changed >>g && git add g && git diff --cached | cat'
}
keys 'less /etc/profile' Enter
t "less shows a file on the screen" screen_has 30 'Read by login shells'
keys q
typed "... and q leaves it for the prompt" '^after-less$' 'echo after-less'
keys 'poweroff' Enter
t "poweroff ends the host with status 0" screen_has 30 '^host-status=0$'
tmux_stop

done_testing
