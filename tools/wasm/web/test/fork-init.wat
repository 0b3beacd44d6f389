;; SPDX-License-Identifier: GPL-2.0
;;
;; /init for test/fork-node.mjs: fork and setjmp/longjmp through the real
;; kernel and the web host's workers.  fork-node.mjs assembles it, adds a
;; dylink.0 section and runs binaryen's Asyncify over it as wasm-linux-cc
;; does.  It uses only its stack (below the arguments), as it has no data:
;; a jmp_buf at base + 0x10, an output buffer at + 0x20, waitid's siginfo
;; at + 0x100, the setjmp area at + 0x1000 and the fork area at + 0x3000.
;;
;;   r = setjmp(env); if r == 7: print OKC, exit 0   (the child's longjmp)
;;   pid = fork()
;;   child:  fork again; the grandchild prints OKG and exits 0; the child
;;           waits for it (ENG if it did not exit 0) and longjmps with 7 to
;;           the jmp_buf its parent saved before the fork
;;   parent: prints OKF, waits for the child, prints OKP if it exited 0
;;           (else ENW), and powers off.
;; ENF: a fork failed.

(module
  (import "env" "memory" (memory 0 65536 shared))
  (import "env" "__stack_pointer" (global $sp (mut i32)))
  (import "linux" "syscall" (func $sys (param i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "linux" "setjmp" (func $setjmp (param i32 i32) (result i32)))
  (import "linux" "longjmp" (func $longjmp (param i32 i32)))

  (global $base (mut i32) (i32.const 0))

  (func $area (param $a i32) (param $size i32) (result i32)
    (i32.store (local.get $a) (i32.add (local.get $a) (i32.const 8)))
    (i32.store offset=4 (local.get $a) (i32.add (local.get $a) (local.get $size)))
    (local.get $a))

  ;; Writes four bytes (a word, little-endian) to standard output.
  (func $puts (param $w i32)
    (i32.store offset=0x20 (global.get $base) (local.get $w))
    (drop (call $sys (i32.const 64) (i32.const 1) (i32.add (global.get $base) (i32.const 0x20))
      (i32.const 4) (i32.const 0) (i32.const 0) (i32.const 0))))

  (func $exit (param $code i32)
    (drop (call $sys (i32.const 94) (local.get $code) (i32.const 0) (i32.const 0)
      (i32.const 0) (i32.const 0) (i32.const 0)))
    (unreachable))

  ;; Instance globals do not carry over to a child (user-abi.rst): it
  ;; sets $base again from the local that does.
  (func $fork (result i32)
    (local $pid i32) (local $b i32)
    (local.set $b (global.get $base))
    (local.set $pid (call $sys (i32.const 220) (i32.const 17) (i32.const 0) (i32.const 0)
      (i32.const 0) (i32.const 0) (call $area (i32.add (local.get $b) (i32.const 0x3000))
        (i32.const 0x4000))))
    (global.set $base (local.get $b))
    (if (i32.lt_s (local.get $pid) (i32.const 0))
      (then (call $puts (i32.const 0x0a464e45)) (call $exit (i32.const 1))))
    (local.get $pid))

  ;; waitid(P_PID, pid, info, WEXITED): whether `pid` exited with 0.
  (func $wait (param $pid i32) (result i32)
    (local $info i32)
    (local.set $info (i32.add (global.get $base) (i32.const 0x100)))
    (i32.store offset=20 (local.get $info) (i32.const -1))
    (i32.and
      (i32.and
        (i32.eqz (call $sys (i32.const 95) (i32.const 1) (local.get $pid) (local.get $info)
          (i32.const 4) (i32.const 0) (i32.const 0)))
        (i32.eq (i32.load offset=12 (local.get $info)) (local.get $pid)))
      (i32.and
        (i32.eq (i32.load offset=8 (local.get $info)) (i32.const 1))
        (i32.eqz (i32.load offset=20 (local.get $info))))))

  (func $sj (result i32)
    (call $setjmp (i32.add (global.get $base) (i32.const 0x10))
      (call $area (i32.add (global.get $base) (i32.const 0x1000)) (i32.const 0x1000))))

  (func (export "_start") (param $argp i32)
    (local $pid i32) (local $pid2 i32)
    (global.set $base (i32.and (i32.sub (local.get $argp) (i32.const 0x8000)) (i32.const -16)))
    (global.set $sp (global.get $base))
    (if (i32.eq (call $sj) (i32.const 7))
      (then (call $puts (i32.const 0x0a434b4f)) (call $exit (i32.const 0))))
    (local.set $pid (call $fork))
    (if (i32.eqz (local.get $pid))
      (then
        (local.set $pid2 (call $fork))
        (if (i32.eqz (local.get $pid2))
          (then (call $puts (i32.const 0x0a474b4f)) (call $exit (i32.const 0))))
        (if (i32.eqz (call $wait (local.get $pid2)))
          (then (call $puts (i32.const 0x0a474e45)) (call $exit (i32.const 1))))
        (call $longjmp (i32.add (global.get $base) (i32.const 0x10)) (i32.const 7))
        (unreachable)))
    (call $puts (i32.const 0x0a464b4f))
    (if (call $wait (local.get $pid))
      (then (call $puts (i32.const 0x0a504b4f)))
      (else (call $puts (i32.const 0x0a574e45))))
    (drop (call $sys (i32.const 142) (i32.const 0xfee1dead) (i32.const 672274793)
      (i32.const 0x4321fedc) (i32.const 0) (i32.const 0) (i32.const 0)))
    (unreachable))
)
