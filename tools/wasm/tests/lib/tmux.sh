# SPDX-License-Identifier: GPL-2.0
#
# Sourced by the test files that type at the guest in a tmux pane (a pty,
# so raw mode and the line discipline's signals), after tap.sh:
#
#   tmux_start COMMAND   a detached 120x40 session on $logs/tmux.sock
#                        running COMMAND
#   keys KEY...          tmux send-keys
#   pane                 the screen and 400 lines of history, joined
#   screen_has SECONDS REGEX  succeeds once the screen shows REGEX
#                        within SECONDS, else prints the screen's end
#   tmux_stop            saves the screen in $logs/screen, ends tmux
# shellcheck shell=sh
# shellcheck disable=SC2154 # $logs is tap.sh's

sock=$logs/tmux.sock
tmux_start() { tmux -S "$sock" new-session -d -x 120 -y 40 "$1"; }
pane() { tmux -S "$sock" capture-pane -p -J -S -400 2>/dev/null; }
keys() { tmux -S "$sock" send-keys "$@"; }
screen_has()
{
	_tw=$(($1 * 5))
	while [ $_tw -gt 0 ]; do
		pane | grep -Eq "$2" && return 0
		sleep 0.2
		_tw=$((_tw - 1))
	done
	echo "expected on the screen within $1 s: /$2/; the screen ends:"
	pane | tail -n 12
	return 1
}
tmux_stop()
{
	pane >"$logs/screen"
	tmux -S "$sock" kill-server 2>/dev/null
}
