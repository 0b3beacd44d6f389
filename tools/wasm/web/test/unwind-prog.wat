;; SPDX-License-Identifier: GPL-2.0
;;
;; A user program for test/unwind.test.mjs, which runs it through binaryen's
;; Asyncify (asyncify-relocatable, asyncify-imports linux.syscall and
;; linux.setjmp) as wasm-linux-cc does, and drives it with src/unwind.js
;; and a stand-in for the kernel's system calls.  Every step appends a
;; word to a log in memory, which the test compares with what it expects.
;;
;; Memory: 0x100 the log's length, then its words; 0x400 and 0x480 the
;; jmp_bufs (only their addresses matter); 0x500 a counter; 0x600 a word
;; the fork child changes; 0x1000 the setjmp area of level 0, 0x3000 that
;; of a signal handler (level 1), 0x2000 the fork area.
;;
;; _start(sp):
;;   sets the stack pointer to sp - 64 and a local to 1234; r = setjmp;
;;   logs r, the stack pointer, the local; sets the local to 9999; counts;
;;   on counts 1 and 2 longjmps with 10 * count and on 3 with 0 (after
;;   clobbering the setjmp area and the stack pointer); on count 4 raises
;;   the signal of system call 1001 (the handler setjmps and longjmps in
;;   its own level) and forks (clone, 220): logs 0x1000000 | result, the
;;   local (9999), the stack pointer and the word at 0x600; the child sets
;;   that word to 0x66 and longjmps to the parent's jmp_buf with 77, then
;;   (count 5) returns.

(module
  (import "env" "memory" (memory 1 16 shared))
  (import "env" "__stack_pointer" (global $sp (mut i32)))
  (import "linux" "syscall" (func $syscall (param i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "linux" "setjmp" (func $host_setjmp (param i32 i32) (result i32)))
  (import "linux" "longjmp" (func $host_longjmp (param i32 i32)))

  (func $log (param $v i32)
    (local $n i32)
    (local.set $n (i32.load (i32.const 0x100)))
    (i32.store (i32.add (i32.const 0x104) (i32.shl (local.get $n) (i32.const 2)))
      (local.get $v))
    (i32.store (i32.const 0x100) (i32.add (local.get $n) (i32.const 1))))

  ;; An unwind area: where saving starts, and its end.
  (func $area (param $a i32) (param $size i32) (result i32)
    (i32.store (local.get $a) (i32.add (local.get $a) (i32.const 8)))
    (i32.store offset=4 (local.get $a) (i32.add (local.get $a) (local.get $size)))
    (local.get $a))

  (func $setjmp (param $env i32) (param $a i32) (result i32)
    (call $host_setjmp (local.get $env) (call $area (local.get $a) (i32.const 0x1000))))

  ;; Clobbers what a longjmp puts back, then longjmps.
  (func $throw (param $env i32) (param $val i32)
    (i32.store (i32.const 0x1000) (i32.const 0))
    (i32.store (i32.const 0x1008) (i32.const 0xdeadbeef))
    (i32.store (i32.const 0x1010) (i32.const 0xdeadbeef))
    (global.set $sp (i32.const 0x7777))
    (call $host_longjmp (local.get $env) (local.get $val))
    (unreachable))

  (func $count (result i32)
    (local $c i32)
    (local.set $c (i32.add (i32.load (i32.const 0x500)) (i32.const 1)))
    (i32.store (i32.const 0x500) (local.get $c))
    (local.get $c))

  (func $fork (result i32)
    (call $syscall (i32.const 220) (i32.const 17) (i32.const 0) (i32.const 0)
      (i32.const 0) (i32.const 0) (call $area (i32.const 0x2000) (i32.const 0x2000))))

  (func (export "_start") (param $argp i32)
    (local $r i32) (local $keep i32) (local $c i32)
    (global.set $sp (i32.sub (local.get $argp) (i32.const 64)))
    (local.set $keep (i32.const 1234))
    (local.set $r (call $setjmp (i32.const 0x400) (i32.const 0x1000)))
    (call $log (local.get $r))
    (call $log (global.get $sp))
    (call $log (local.get $keep))
    (local.set $keep (i32.const 9999))
    (local.set $c (call $count))
    (if (i32.lt_u (local.get $c) (i32.const 3))
      (then (call $throw (i32.const 0x400) (i32.mul (local.get $c) (i32.const 10)))))
    (if (i32.eq (local.get $c) (i32.const 3))
      (then (call $throw (i32.const 0x400) (i32.const 0))))
    (if (i32.ne (local.get $c) (i32.const 4))
      (then (return)))
    (drop (call $syscall (i32.const 1001) (i32.const 1) (i32.const 0) (i32.const 0)
      (i32.const 0) (i32.const 0) (i32.const 0)))
    (i32.store (i32.const 0x600) (i32.const 0x55))
    (local.set $r (call $fork))
    (call $log (i32.or (i32.const 0x1000000) (local.get $r)))
    (call $log (local.get $keep))
    (call $log (global.get $sp))
    (call $log (i32.load (i32.const 0x600)))
    (if (i32.eqz (local.get $r))
      (then
        (i32.store (i32.const 0x600) (i32.const 0x66))
        (call $throw (i32.const 0x400) (i32.const 77)))))

  ;; The handler: mode 1 setjmps and longjmps in its own level (logs 100 +
  ;; what setjmp returned, twice); mode 2 longjmps to level 0's jmp_buf.
  (func (export "__wasm_signal") (param $mode i32) (param i32 i32 i32 i32)
    (local $r i32)
    (if (i32.eq (local.get $mode) (i32.const 2))
      (then (call $host_longjmp (i32.const 0x400) (i32.const 5))))
    (local.set $r (call $setjmp (i32.const 0x480) (i32.const 0x3000)))
    (call $log (i32.add (i32.const 100) (local.get $r)))
    (if (i32.eqz (local.get $r))
      (then (call $host_longjmp (i32.const 0x480) (i32.const 0)))))
)
