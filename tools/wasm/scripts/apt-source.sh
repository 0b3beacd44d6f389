#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Fetch a Debian source package's files with apt-get source.
#
# Usage: apt-source.sh PACKAGE[=VERSION] FILE DIR
#
# Downloads (never unpacks) the source package PACKAGE into DIR unless
# DIR/FILE is already there, and fails unless DIR/FILE exists afterwards.
# FILE is what the caller needs from it, typically the pristine upstream
# tarball (e.g. busybox_1.35.0.orig.tar.bz2).
#
# When apt-get source fails (a machine set up without deb-src entries)
# and we are root, it adds /etc/apt/sources.list.d/wasm-linux-src.sources:
# a deb-src entry for each "deb" entry (same mirror, suites, components)
# of sources.list.d/*.sources and sources.list, runs apt-get update and
# tries again.

set -eu

pkg=${1:?usage: apt-source.sh PACKAGE[=VERSION] FILE DIR}
file=${2:?usage: apt-source.sh PACKAGE[=VERSION] FILE DIR}
dir=${3:?usage: apt-source.sh PACKAGE[=VERSION] FILE DIR}

mkdir -p "$dir"
[ -f "$dir/$file" ] && exit 0

add_deb_src() {
	if [ "$(id -u)" != 0 ]; then
		echo "error: apt-get source $pkg failed and there is no deb-src entry to use;" >&2
		echo "  run as root or add a deb-src entry for Debian bookworm" >&2
		exit 1
	fi
	list=/etc/apt/sources.list.d/wasm-linux-src.sources
	echo "  SETUP   $list"
	{
		for f in /etc/apt/sources.list.d/*.sources; do
			[ -f "$f" ] || continue
			[ "$f" = "$list" ] && continue
			# Each deb822 stanza whose Types has "deb", as deb-src.
			awk '
			function emit() {
				if (deb && text != "") printf "%s\n\n", text
				text = ""; deb = 0
			}
			/^[ \t]*$/ { emit(); next }
			/^#/ { next }
			/^Types:/ {
				for (k = 2; k <= NF; k++) if ($k == "deb") deb = 1
				line = "Types: deb-src"
			}
			!/^Types:/ { line = $0 }
			{ text = (text == "" ? line : text "\n" line) }
			END { emit() }' "$f"
		done
		if [ -f /etc/apt/sources.list ]; then
			# One-line "deb [opts] URI SUITE COMPONENT..." entries.
			awk '$1 == "deb" {
				k = 2
				if ($k ~ /^\[/) { while ($k !~ /\]$/) k++; k++ }
				printf "Types: deb-src\nURIs: %s\nSuites: %s\nComponents:", $k, $(k + 1)
				for (k += 2; k <= NF; k++) printf " %s", $k
				printf "\n\n"
			}' /etc/apt/sources.list
		fi
	} > "$list.tmp"
	if ! grep -q '^Types: deb-src' "$list.tmp"; then
		rm -f "$list.tmp"
		echo "error: no deb entry to derive a deb-src entry from" >&2
		exit 1
	fi
	mv "$list.tmp" "$list"
	apt-get update -qq
}

fetch() {
	(cd "$dir" && apt-get source --download-only -qq "$pkg")
}

echo "  FETCH   apt-get source $pkg"
if ! fetch >/dev/null 2>&1; then
	add_deb_src
	fetch >/dev/null
fi
if [ ! -f "$dir/$file" ]; then
	echo "error: apt-get source $pkg did not leave $dir/$file" >&2
	exit 1
fi
