;; SPDX-License-Identifier: GPL-2.0
;;
;; eq(a, b, n): 1 if the n bytes at a in the kernel memory ("k" "m") are
;; the n bytes at b of a cached module's memory ("c" "m"), else 0; 8 bytes
;; at a time, then the rest one by one.  Two memories (multi-memory): a
;; cold JavaScript loop over a module takes 15-25 ms, this well under one.
;;
;; module-cache.js holds the assembled bytes (EQ_WASM), so that the page
;; needs no assembler; test/eq-wasm.mjs assembles this file and compares:
;;
;;	wat2wasm --enable-threads --enable-multi-memory eq.wat

(module
  (import "k" "m" (memory $kernel 0 65536 shared))
  (import "c" "m" (memory $cached 0 65536 shared))

  (func $eq (export "eq") (param $a i32) (param $b i32) (param $n i32)
      (result i32)
    ;; 8 bytes at a time
    (block $done8
      (loop $next8
        (br_if $done8 (i32.lt_u (local.get $n) (i32.const 8)))
        (if (i64.ne (i64.load $kernel (local.get $a))
                    (i64.load $cached (local.get $b)))
          (then (return (i32.const 0))))
        (local.set $a (i32.add (local.get $a) (i32.const 8)))
        (local.set $b (i32.add (local.get $b) (i32.const 8)))
        (local.set $n (i32.sub (local.get $n) (i32.const 8)))
        (br $next8)))
    ;; the last 0-7 bytes
    (block $done1
      (loop $next1
        (br_if $done1 (i32.eqz (local.get $n)))
        (if (i32.ne (i32.load8_u $kernel (local.get $a))
                    (i32.load8_u $cached (local.get $b)))
          (then (return (i32.const 0))))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next1)))
    (i32.const 1)))
