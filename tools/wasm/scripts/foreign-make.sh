# SPDX-License-Identifier: GPL-2.0
#
# Sourced by the scripts that build other projects (musl, BusyBox, the
# ports): foreign_make ARGS... runs make on another project's Makefile.
#
# A variable given on our make's command line (make ARCH=wasm O=... V=1
# LLVM=1 ...) reaches every sub-make twice: in MAKEFLAGS, after " -- ",
# where it overrides the other Makefile's own assignments (musl's
# ARCH = wasm32, BusyBox's O=), and in the environment, where it sets
# their "?=" defaults.  Those names are Kbuild's, not theirs: the other
# build gets make's flags and the jobserver, and only the variables its
# caller passes explicitly.

foreign_make() {
	(
		case "${MAKEFLAGS-}" in
		*' -- '*) MAKEFLAGS=${MAKEFLAGS%% -- *} ;;
		--\ *) MAKEFLAGS= ;;
		esac
		unset MAKEOVERRIDES ARCH SRCARCH SUBARCH CROSS_COMPILE LLVM \
			LLVM_IAS O V KBUILD_OUTPUT KBUILD_VERBOSE \
			CC LD AR NM OBJCOPY OBJDUMP STRIP
		exec make "$@"
	)
}
