#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The shell on a terminal, as a user types at it: the host runs in a tmux
# pane (a pty, so raw mode and the line discipline's signals), keys go in
# with send-keys and the screen comes back with capture-pane.

. "$(dirname "$0")/../lib/tap.sh"

needs "$mod" "$out/initramfs.cpio"
# shellcheck source=tools/wasm/tests/lib/tmux.sh
. "$(dirname "$0")/../lib/tmux.sh"
tmux_start \
	"'$host' run '$mod' --cpus 2 --initramfs '$out/initramfs.cpio' --append quiet; echo host-status=\$?; sleep 60"
t "tmux: the shell prompt appears" screen_has 60 'root@wasm:~# ?$'
# The virtio console passes the terminal's size on, and its changes.
keys 'echo size-$(stty size)' Enter
t "tmux: the guest terminal has the pane's size (stty size: 40 120)" \
	screen_has 10 '^size-40 120$'
tmux -S "$sock" resize-window -x 100 -y 30
sleep 1
keys 'echo resized-$(stty size)' Enter
t "tmux: a resized pane resizes the guest terminal (30 100)" \
	screen_has 10 '^resized-30 100$'
keys 'echo abX' BSpace 'c' Enter
t "tmux: line editing, backspace (echo abX, BS, c gives abc)" \
	screen_has 10 '^abc$'
keys 'echo 12' Left Left 'x' End '3' Enter
t "tmux: line editing, cursor keys (x inserted before 12)" \
	screen_has 10 '^x123$'
# ash runs a job in its own process group, the terminal's foreground
# one: ^C reaches sleep, which dies of SIGINT (status 130).
keys 'sleep 100' Enter
sleep 1
keys C-c
keys 'echo survived-$?' Enter
t "tmux: Ctrl-C interrupts sleep 100 and the shell survives" \
	screen_has 10 '^survived-130$'
# Job control: ^Z stops the foreground job, fg continues it.
keys 'sleep 50' Enter
sleep 1
keys C-z
keys 'jobs' Enter
t "tmux: Ctrl-Z stops sleep 50 (jobs says Stopped)" \
	screen_has 10 '^\[1\]\+? +Stopped +sleep 50'
keys 'fg' Enter
sleep 1
keys C-c
keys 'echo fg-$?' Enter
t "tmux: fg resumes it, and Ctrl-C ends it" screen_has 10 '^fg-130$'
# vi on the screen: insert, escape (alone, or it starts a key
# sequence), write and quit; then the file holds the line.
keys 'vi /tmp/note.txt' Enter
screen_has 10 'note.txt' >/dev/null
keys 'i' 'hello from vi'
sleep 0.5
keys Escape
sleep 0.5
keys ':wq' Enter
keys 'cat /tmp/note.txt' Enter
t "tmux: vi writes a file" screen_has 10 '^hello from vi$'
keys 'poweroff' Enter
t "tmux: poweroff ends the host with status 0" \
	screen_has 30 '^host-status=0$'
tmux_stop

done_testing
