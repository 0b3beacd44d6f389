#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Debian's dash, built unmodified for the guest by tools/wasm/ports/dash/
# build.sh: scripts that fork in every way a shell does (pipelines,
# subshells, command substitution, background jobs and wait, traps,
# set -e) run in the guest and natively, and each must print the same
# and exit with the same status; then 200 command substitutions in a row,
# after which the shell must still answer.  The native reference is the
# build machine's /bin/dash (Debian's), else the port's own native build
# of the same source (OUTDIR/dash/native).

. "$(dirname "$0")/../lib/tap.sh"

needs "$mod" "$out/initramfs.list" "$out/dash/initramfs.list" "$out/dash/dash"

# --- the scripts ----------------------------------------------------------

# Each section is a script of its own, run by run-all between "BEGIN NAME"
# and "END NAME STATUS" lines, with standard error in standard output and
# no standard input.  They print nothing that differs between the guest
# and the build machine (no pids, paths, times, program messages).
sdir=$logs/scripts
mkdir -p "$sdir"
sections="pipelines subshells cmdsubst background heredoc function-loop"
sections="$sections trap arithmetic set-e exit-status errors recursion"

cat >"$sdir/pipelines.sh" <<'END_OF_SCRIPT'
printf '%s\n' c a b | sort | tr '\n' ' '; echo
printf 'one\ntwo\nthree\n' | {
	n=0
	while read -r l; do n=$((n + 1)); echo "$n:$l"; done
	echo "count $n"
}
echo piped | cat | cat | cat | cat
false | true; echo "false | true: $?"
true | false; echo "true | false: $?"
! true | false; echo "! true | false: $?"
x=unchanged; echo changed | read x; echo "x after a pipe: $x"
# More than a pipe holds (64 KiB): the writer blocks until read.
i=0
while [ $i -lt 2000 ]; do
	echo "0123456789012345678901234567890123456789 $i"; i=$((i + 1))
done | { c=0; while read -r a b; do c=$((c + 1)); last=$b; done
	 echo "read $c lines, last $last"; }
END_OF_SCRIPT

cat >"$sdir/subshells.sh" <<'END_OF_SCRIPT'
x=outer
(x=inner; echo "in: $x"; exit 3); echo "status $? x=$x"
here=$(pwd); (cd /; pwd); [ "$(pwd)" = "$here" ] && echo "cwd kept"
( (echo nested-1; (echo nested-2; exit 4)); echo "inner status $?" )
umask 022; (umask 077; umask); umask
{ echo group; echo ing; } | cat
(exit 0) && echo and-ok; (exit 1) || echo or-ok
f() ( echo "subshell function $1"; exit 9 ); f arg; echo "f: $?"
(echo to-stderr >&2) 2>&1
out=$( (echo a; echo b) | (read -r l; echo "got $l") ); echo "$out"
(trap 'echo subshell EXIT trap' EXIT; echo in subshell)
y=0; (y=1); echo "y=$y"
END_OF_SCRIPT

cat >"$sdir/cmdsubst.sh" <<'END_OF_SCRIPT'
n=$(echo 5); echo "n=$n"
echo "nested: $(echo a $(echo b $(echo c)))"
echo "backquotes: `echo old style`"
v=$(printf 'trail\n\n\n'); echo "[$v]"
s=$(exit 7); echo "status of an assignment: $?"
echo "$(cat <<EOF
from a here-document in a substitution
EOF
)"
lines=$(i=0; while [ $i -lt 3 ]; do echo l$i; i=$((i + 1)); done); echo $lines
echo "length ${#lines}"
echo "$(echo "quoted  spaces")"
x=$(echo 'a b' 'c'); set -- $x; echo "$# fields"
big=$(i=0; while [ $i -lt 2000 ]; do
	echo "0123456789012345678901234567890123456789"; i=$((i + 1)); done)
echo "big ${#big}"
echo "arith in subst: $(( $(echo 6) * $(echo 7) ))"
END_OF_SCRIPT

cat >"$sdir/background.sh" <<'END_OF_SCRIPT'
t=${TMPDIR:-/tmp}/dash-bg.$$
rm -f "$t"
(sleep 1; echo late >"$t") & p1=$!
(exit 7) & p2=$!
[ "$p1" != "$p2" ] && echo "two pids"
wait $p2; echo "wait p2: $?"
wait $p1; echo "wait p1: $?"; cat "$t"; rm -f "$t"
sleep 0 & sleep 0 & (exit 3) & wait; echo "wait for all: $?"
# dash prints "Terminated" or "Killed" only if wait itself reaps the
# job, not if an earlier SIGCHLD did: timing, not behaviour.  The status
# is the same either way.
sleep 10 & k=$!; kill $k; wait $k 2>/dev/null; echo "killed: $?"
sleep 10 & k=$!; kill -9 $k; wait $k 2>/dev/null; echo "killed -9: $?"
{ echo in a background group; } & wait $!; echo "group: $?"
for i in 1 2 3; do (exit $i) & eval "p$i=\$!"; done
wait $p3; echo "p3: $?"; wait $p1; echo "p1: $?"; wait $p2; echo "p2: $?"
i=0; while [ $i -lt 10 ]; do (exit $i) & i=$((i + 1)); done; wait
echo "ten jobs: $?"
END_OF_SCRIPT

cat >"$sdir/heredoc.sh" <<'END_OF_SCRIPT'
x=value
cat <<EOF
plain $x $((1 + 2)) $(echo substituted)
  indented \$notvar \\ backslash
EOF
cat <<'EOF'
quoted $x $(not run)
EOF
cat <<-EOF
	tab-stripped $x
		two tabs
	EOF
cat <<A; cat <<B
first
A
second
B
while read -r a b; do echo "[$a|$b]"; done <<EOF
1 one
2 two words
EOF
f() { cat; }
f <<EOF
into a function
EOF
(cat) <<EOF
into a subshell
EOF
cat <<EOF | tr a-z A-Z
through a pipe
EOF
END_OF_SCRIPT

cat >"$sdir/function-loop.sh" <<'END_OF_SCRIPT'
sum() {
	i=0 s=0
	while [ $i -lt $1 ]; do i=$((i + 1)); s=$((s + i)); done
	echo "sum 1..$1 = $s"
	return $((s % 256))
}
sum 10; echo "status $?"
sum 100; echo "status $?"
fact() {
	if [ $1 -le 1 ]; then echo 1
	else echo $(( $1 * $(fact $(($1 - 1))) )); fi
}
echo "10! = $(fact 10)"
count() { local n; n=0; for w in "$@"; do n=$((n + 1)); done; echo $n; }
count a "b c" d
for i in 1 2 3 4 5 6; do
	[ $i = 2 ] && continue; [ $i = 5 ] && break; printf '%s ' $i
done; echo
n=3; until [ $n -eq 0 ]; do printf '%s ' $n; n=$((n - 1)); done; echo
for w in apple banana cherry; do
	case $w in a*) echo "$w: a";; *an*) echo "$w: an";; *) echo "$w: other";; esac
done
outer() { for j in 1 2; do inner $j; done; }
inner() { for k in a b; do printf '%s%s ' $1 $k; done; }
outer; echo
END_OF_SCRIPT

cat >"$sdir/trap.sh" <<'END_OF_SCRIPT'
trap 'echo "EXIT trap, status $?"' EXIT
trap 'echo got USR1' USR1
kill -USR1 $$
echo after USR1
trap
trap - USR1
trap '' USR2; kill -USR2 $$; echo "USR2 ignored"
t=${TMPDIR:-/tmp}/dash-trap.$$
rm -f "$t"
(trap 'echo "child: caught TERM"; exit 5' TERM; : >"$t"
 while :; do sleep 1; done) &
p=$!
while [ ! -e "$t" ]; do sleep 1; done
kill -TERM $p; wait $p; echo "child status: $?"; rm -f "$t"
(trap 'echo "subshell EXIT trap"' EXIT; exit 6); echo "subshell: $?"
exit 3
END_OF_SCRIPT

cat >"$sdir/arithmetic.sh" <<'END_OF_SCRIPT'
echo $((7 / 2)) $((-7 / 2)) $((-7 % 3)) $((1 << 10)) $((0x1f)) $((010)) \
	$((~5)) $((5 ^ 3)) $((6 & 3)) $((6 | 3))
echo $(((3 > 2) && (1 || 0))) $((!0)) $((3 == 3)) $((2 != 2)) $((1 ? 10 : 20))
echo $((2147483647 + 1)) $((4294967296 * 4294967295)) \
	$((-9223372036854775807 - 1)) $((9223372036854775807))
i=5; : $((i += 3)); echo $i; : $((i *= 2)) $((i -= 1)); echo $i
echo $((i > 7 ? 100 : 200))
a=3 b=4; echo $((a * a + b * b)) $((a << b)) $(((a + b) * (a - b)))
n=0; while [ $n -lt 100 ]; do n=$((n + 1)); done; echo $n
x=010; echo $((x)) $((x + 0x10))
(echo $((1 / 0))) 2>/dev/null; echo "division by zero: $?"
END_OF_SCRIPT

cat >"$sdir/set-e.sh" <<'END_OF_SCRIPT'
(set -e; echo before; false; echo not reached); echo "set -e: $?"
(set -e; if false; then :; fi; false || echo "|| goes on"
 ! true; echo "! goes on"; false && true; echo "&& goes on"); echo "status $?"
(set -e; f() { false; echo "not reached in f"; }; f; echo not reached)
echo "in a function: $?"
(set -e; (exit 4); echo not reached); echo "nested subshell: $?"
(set -e; x=$(false); echo not reached); echo "assignment: $?"
(set -e; cat /nonexistent-file 2>/dev/null; echo not reached); echo "a program: $?"
(set -e; false | true; echo "a pipeline ending in true goes on"); echo "status $?"
false; echo "the parent has no -e: $?"
END_OF_SCRIPT

cat >"$sdir/exit-status.sh" <<'END_OF_SCRIPT'
true; echo "true: $?"; false; echo "false: $?"
(exit 42); echo "exit 42: $?"
(exit 255); echo "exit 255: $?"
(exit 256); echo "exit 256: $?"
nosuchcommand-xyz 2>/dev/null; echo "not found: $?"
/ 2>/dev/null; echo "a directory: $?"
cat /nonexistent-file 2>/dev/null; echo "cat of nothing: $?"
! false; echo "! false: $?"
if (exit 3); then :; else echo "else, status $?"; fi
f() { return 7; }; f; echo "return 7: $?"
$(exit 9); echo "an empty command of a substitution: $?"
kill -0 $$; echo "kill -0: $?"
(kill -9 $(exec sh -c 'echo $PPID')); echo "a subshell killed by a signal: $?"
(exit 5)
exit
END_OF_SCRIPT

# Errors unwind to dash's handlers with longjmp, and the shell goes on.
cat >"$sdir/errors.sh" <<'END_OF_SCRIPT'
command eval 'echo $((1 / 0))' 2>/dev/null; echo "after an arithmetic error: $?"
command eval 'if' 2>/dev/null; echo "after a syntax error: $?"
command . /nonexistent-file 2>/dev/null; echo "after a missing . file: $?"
f() { command eval 'echo ${x?unset}' 2>/dev/null; echo "in f: $?"; }; f
out=$( (unset x; echo ${x?unset}) 2>/dev/null ); echo "in a subshell: $? [$out]"
i=0; while [ $i -lt 50 ]; do command eval 'echo $((1 / 0))' 2>/dev/null
	i=$((i + 1)); done; echo "50 errors: $i"
END_OF_SCRIPT

# Shell functions nested 200 deep (dash calls setjmp in each) and a
# command substitution at the bottom (a fork with that stack).
cat >"$sdir/recursion.sh" <<'END_OF_SCRIPT'
f() { if [ $1 -gt 0 ]; then f $(($1 - 1)) $2; else echo "bottom of $2"; fi; }
f 50 50
f 200 200
g() { if [ $1 -gt 0 ]; then g $(($1 - 1)) $2; else echo "$(echo substituted) at $2"; fi; }
g 200 200
END_OF_SCRIPT

cat >"$sdir/stress.sh" <<'END_OF_SCRIPT'
i=0 s=
while [ $i -lt 200 ]; do s=$s$(echo x); i=$((i + 1)); done
echo "${#s} substitutions"
case $s in *[!x]*) echo "something else than x";; *) echo "all x";; esac
END_OF_SCRIPT

cat >"$sdir/alive.sh" <<'END_OF_SCRIPT'
echo "alive $((6 * 7)) $(echo substituted) $( (echo sub-subshell) )"
echo piped | cat
END_OF_SCRIPT

# run-all DASH DIR: each section in DIR with DASH, from DIR (which the
# error messages name as ./NAME.sh).
cat >"$sdir/run-all" <<END_OF_SCRIPT
cd "\$2" || exit 1
for s in $sections stress alive; do
	echo "BEGIN \$s"
	"\$1" ./\$s.sh </dev/null 2>&1
	echo "END \$s \$?"
done
echo "ALL DONE"
END_OF_SCRIPT

# --- natively -------------------------------------------------------------

ref=
if [ -x /bin/dash ] && /bin/dash -c 'exit 0'; then
	ref=/bin/dash
	why="Debian's /bin/dash"
elif [ -x "$out/dash/native/src/dash" ]; then
	ref=$out/dash/native/src/dash
	why="the port's native build (no /bin/dash here)"
fi
if [ -n "$ref" ]; then
	mkdir -p "$logs/tmp"
	TMPDIR=$logs/tmp LC_ALL=C sh "$sdir/run-all" "$ref" "$sdir" \
		>"$logs/native" 2>&1
	figure "native reference: $why"
	has "native: the reference ran every section" "$logs/native" '^ALL DONE$'
fi
if [ "$ref" = /bin/dash ] && [ -x "$out/dash/native/src/dash" ]; then
	TMPDIR=$logs/tmp LC_ALL=C sh "$sdir/run-all" \
		"$out/dash/native/src/dash" "$sdir" >"$logs/native-port" 2>&1
	if grep -q '^ALL DONE$' "$logs/native-port" &&
	   cmp -s "$logs/native" "$logs/native-port"; then
		_ok "native: the port's source built natively prints what Debian's /bin/dash prints"
	else
		diff "$logs/native" "$logs/native-port" >"$logs/diff-native" 2>&1
		_not_ok "native: the port's source built natively prints what Debian's /bin/dash prints"
		_note "diff /bin/dash port ($logs/diff-native):"
		_note_file "$logs/diff-native" 40
	fi
fi

# --- in the guest ---------------------------------------------------------

{
	echo "dir /root/dash-t 0755 0 0"
	for s in $sections stress alive; do
		echo "file /root/dash-t/$s.sh $sdir/$s.sh 0644 0 0"
	done
	echo "file /root/dash-t/run-all $sdir/run-all 0755 0 0"
} >"$logs/scripts.list"
guest_cpio dash "$out/initramfs.list" "$out/dash/initramfs.list" \
	"$logs/scripts.list"

# shellcheck disable=SC2016 # the guest's shell expands it
printf '%s\n' 'sh /root/dash-t/run-all /usr/bin/dash /root/dash-t' \
	'echo shell-alive-$((6 * 7))' poweroff >"$logs/guest.in"
start=$(date +%s)
boot guest 600 "$logs/guest.in" --cpus 2 --initramfs "$logs/dash.cpio" \
	--append quiet
figure "the guest's boot took $(($(date +%s) - start)) s"
same "guest: powers off, host status 0" 0 "$status"
has "guest: dash ran every section" "$logs/guest" '^ALL DONE$'

# Each section: the same lines and the same exit status (its END line).
for s in $sections; do
	name="$s: the guest's dash prints what native dash prints, same status"
	section "$s" "$logs/guest" >"$logs/guest-$s"
	if [ -z "$ref" ]; then
		skip "$name" "no native dash: no /bin/dash, no $out/dash/native/src/dash"
		continue
	fi
	section "$s" "$logs/native" >"$logs/native-$s"
	if ! grep -q "^END $s " "$logs/native-$s"; then
		_not_ok "$name"
		_note "expected: the native run's section $s" \
			"seen: no such section in $logs/native"
	elif cmp -s "$logs/native-$s" "$logs/guest-$s"; then
		_ok "$name"
	else
		diff "$logs/native-$s" "$logs/guest-$s" >"$logs/diff-$s" 2>&1
		_not_ok "$name"
		_note "expected: the native lines ($logs/native-$s)" \
			"seen: in the guest ($logs/guest-$s); diff native guest:"
		_note_file "$logs/diff-$s" 40
	fi
done

section stress "$logs/guest" >"$logs/guest-stress"
has "stress: 200 sequential \$(echo x) substitutions in the guest" \
	"$logs/guest-stress" '^200 substitutions$'
has "stress: ... each gave x" "$logs/guest-stress" '^all x$'
has "stress: ... and dash exited 0" "$logs/guest-stress" '^END stress 0$'
if [ -n "$ref" ]; then
	section stress "$logs/native" >"$logs/native-stress"
	t "stress: the same output natively" \
		cmp "$logs/native-stress" "$logs/guest-stress"
fi
section alive "$logs/guest" >"$logs/guest-alive"
has "alive: a new dash answers after the stress (substitution, subshell)" \
	"$logs/guest-alive" '^alive 42 substituted sub-subshell$'
has "alive: ... a pipeline" "$logs/guest-alive" '^piped$'
has "alive: ... and exits 0" "$logs/guest-alive" '^END alive 0$'
has "alive: the guest's login shell answers afterwards" "$logs/guest" \
	'^shell-alive-42$'

done_testing
