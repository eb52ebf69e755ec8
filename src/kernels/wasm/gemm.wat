;; Dense float64 matrix product with 128-bit SIMD for the `wasm` backend (src/kernels/wasm/wasmBackend.ts):
;; P = A·B, P m×n row-major (ldp bytes per row), B k×n row-major (ldb bytes per row), and A addressed through byte
;; strides, A(r, l) at a + r·sr + l·sc. Column panels of B (k×4) are packed contiguously into the scratch at pk
;; (32·k bytes). 4×4 blocks of P are accumulated in eight
;; f64x2 registers over the whole reduction (no FMA, as in JavaScript); the edges (m or n not multiples of 4) go
;; through a scalar loop. Every entry of P is one sum over l in increasing order, whichever path computes it.
;;
;; Build: npx tsx src/kernels/wasm/build.ts (writes gemmWasm.generated.ts; a test checks it is up to date).
(module
  (memory (export "memory") 1)

  (func (export "gemm")
    (param $a i32) (param $sr i32) (param $sc i32) (param $b i32) (param $ldb i32) (param $p i32) (param $ldp i32)
    (param $m i32) (param $n i32) (param $k i32) (param $pk i32)
    (local $r i32) (local $c i32) (local $m4 i32) (local $n4 i32) (local $l i32) (local $src i32) (local $dst i32)
    (local.set $m4 (i32.and (local.get $m) (i32.const -4)))
    (local.set $n4 (i32.and (local.get $n) (i32.const -4)))
    (local.set $c (i32.const 0))
    (block $cdone
      (loop $cl
        (br_if $cdone (i32.ge_u (local.get $c) (local.get $n4)))
        ;; pack B[:, c..c+4] as k rows of 4 contiguous f64 at pk: with a power-of-two ldb the rows of B alias in the
        ;; cache, and each panel is reused by every block of rows
        (local.set $src (i32.add (local.get $b) (i32.shl (local.get $c) (i32.const 3))))
        (local.set $dst (local.get $pk))
        (local.set $l (i32.const 0))
        (block $pdone
          (loop $pl
            (br_if $pdone (i32.ge_u (local.get $l) (local.get $k)))
            (v128.store (local.get $dst) (v128.load (local.get $src)))
            (v128.store offset=16 (local.get $dst) (v128.load offset=16 (local.get $src)))
            (local.set $src (i32.add (local.get $src) (local.get $ldb)))
            (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
            (local.set $l (i32.add (local.get $l) (i32.const 1)))
            (br $pl)))
        (local.set $r (i32.const 0))
        (block $rdone
          (loop $rl
            (br_if $rdone (i32.ge_u (local.get $r) (local.get $m4)))
            (call $block4x4
              (i32.add (local.get $a) (i32.mul (local.get $r) (local.get $sr))) (local.get $sr) (local.get $sc)
              (local.get $pk) (i32.const 32)
              (i32.add (i32.add (local.get $p) (i32.mul (local.get $r) (local.get $ldp))) (i32.shl (local.get $c) (i32.const 3)))
              (local.get $ldp) (local.get $k))
            (local.set $r (i32.add (local.get $r) (i32.const 4)))
            (br $rl)))
        (local.set $c (i32.add (local.get $c) (i32.const 4)))
        (br $cl)))
    ;; edges: columns [n4, n) of rows [0, m4), then rows [m4, m) entirely
    (call $edge (local.get $a) (local.get $sr) (local.get $sc) (local.get $b) (local.get $ldb) (local.get $p) (local.get $ldp)
      (i32.const 0) (local.get $m4) (local.get $n4) (local.get $n) (local.get $k))
    (call $edge (local.get $a) (local.get $sr) (local.get $sc) (local.get $b) (local.get $ldb) (local.get $p) (local.get $ldp)
      (local.get $m4) (local.get $m) (i32.const 0) (local.get $n) (local.get $k)))

  ;; P[0..4, 0..4] = Σ_l A(0..4, l) B(l, 0..4); a, b, p point at the block.
  (func $block4x4
    (param $a i32) (param $sr i32) (param $sc i32) (param $b i32) (param $ldb i32) (param $p i32) (param $ldp i32)
    (param $k i32)
    (local $l i32) (local $b0 v128) (local $b1 v128) (local $x v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $a1 i32) (local $a2 i32) (local $a3 i32)
    (local.set $l (i32.const 0))
    (block $done
      (loop $ll
        (br_if $done (i32.ge_u (local.get $l) (local.get $k)))
        (local.set $b0 (v128.load (local.get $b)))
        (local.set $b1 (v128.load offset=16 (local.get $b)))
        (local.set $a1 (i32.add (local.get $a) (local.get $sr)))
        (local.set $a2 (i32.add (local.get $a1) (local.get $sr)))
        (local.set $a3 (i32.add (local.get $a2) (local.get $sr)))
        (local.set $x (v128.load64_splat (local.get $a)))
        (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $x) (local.get $b0))))
        (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $x) (local.get $b1))))
        (local.set $x (v128.load64_splat (local.get $a1)))
        (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $x) (local.get $b0))))
        (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $x) (local.get $b1))))
        (local.set $x (v128.load64_splat (local.get $a2)))
        (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $x) (local.get $b0))))
        (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $x) (local.get $b1))))
        (local.set $x (v128.load64_splat (local.get $a3)))
        (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $x) (local.get $b0))))
        (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $x) (local.get $b1))))
        (local.set $a (i32.add (local.get $a) (local.get $sc)))
        (local.set $b (i32.add (local.get $b) (local.get $ldb)))
        (local.set $l (i32.add (local.get $l) (i32.const 1)))
        (br $ll)))
    (v128.store (local.get $p) (local.get $c00))
    (v128.store offset=16 (local.get $p) (local.get $c01))
    (local.set $p (i32.add (local.get $p) (local.get $ldp)))
    (v128.store (local.get $p) (local.get $c10))
    (v128.store offset=16 (local.get $p) (local.get $c11))
    (local.set $p (i32.add (local.get $p) (local.get $ldp)))
    (v128.store (local.get $p) (local.get $c20))
    (v128.store offset=16 (local.get $p) (local.get $c21))
    (local.set $p (i32.add (local.get $p) (local.get $ldp)))
    (v128.store (local.get $p) (local.get $c30))
    (v128.store offset=16 (local.get $p) (local.get $c31)))

  ;; P[r, c] = Σ_l A(r, l) B(l, c) for r ∈ [r0, r1), c ∈ [c0, c1), scalar.
  (func $edge
    (param $a i32) (param $sr i32) (param $sc i32) (param $b i32) (param $ldb i32) (param $p i32) (param $ldp i32)
    (param $r0 i32) (param $r1 i32) (param $c0 i32) (param $c1 i32) (param $k i32)
    (local $r i32) (local $c i32) (local $l i32) (local $s f64) (local $ap i32) (local $bp i32)
    (local.set $r (local.get $r0))
    (block $rdone
      (loop $rl
        (br_if $rdone (i32.ge_u (local.get $r) (local.get $r1)))
        (local.set $c (local.get $c0))
        (block $cdone
          (loop $cl
            (br_if $cdone (i32.ge_u (local.get $c) (local.get $c1)))
            (local.set $s (f64.const 0))
            (local.set $ap (i32.add (local.get $a) (i32.mul (local.get $r) (local.get $sr))))
            (local.set $bp (i32.add (local.get $b) (i32.shl (local.get $c) (i32.const 3))))
            (local.set $l (i32.const 0))
            (block $ldone
              (loop $ll
                (br_if $ldone (i32.ge_u (local.get $l) (local.get $k)))
                (local.set $s (f64.add (local.get $s) (f64.mul (f64.load (local.get $ap)) (f64.load (local.get $bp)))))
                (local.set $ap (i32.add (local.get $ap) (local.get $sc)))
                (local.set $bp (i32.add (local.get $bp) (local.get $ldb)))
                (local.set $l (i32.add (local.get $l) (i32.const 1)))
                (br $ll)))
            (f64.store (i32.add (i32.add (local.get $p) (i32.mul (local.get $r) (local.get $ldp))) (i32.shl (local.get $c) (i32.const 3)))
              (local.get $s))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $cl)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rl))))

  ;; dst[0..m) += src[0..m)·v, element by element (f64x2, four registers a pass, then pairs, then the odd last one).
  (func $axpy (param $d i32) (param $s i32) (param $v f64) (param $m i32)
    (local $vv v128) (local $k i32) (local $m8 i32) (local $m2 i32)
    (local.set $vv (f64x2.splat (local.get $v)))
    (local.set $m8 (i32.and (local.get $m) (i32.const -8)))
    (local.set $m2 (i32.and (local.get $m) (i32.const -2)))
    (local.set $k (i32.const 0))
    (block $d8
      (loop $l8
        (br_if $d8 (i32.ge_u (local.get $k) (local.get $m8)))
        (v128.store offset=0 (local.get $d)
          (f64x2.add (v128.load offset=0 (local.get $d)) (f64x2.mul (v128.load offset=0 (local.get $s)) (local.get $vv))))
        (v128.store offset=16 (local.get $d)
          (f64x2.add (v128.load offset=16 (local.get $d)) (f64x2.mul (v128.load offset=16 (local.get $s)) (local.get $vv))))
        (v128.store offset=32 (local.get $d)
          (f64x2.add (v128.load offset=32 (local.get $d)) (f64x2.mul (v128.load offset=32 (local.get $s)) (local.get $vv))))
        (v128.store offset=48 (local.get $d)
          (f64x2.add (v128.load offset=48 (local.get $d)) (f64x2.mul (v128.load offset=48 (local.get $s)) (local.get $vv))))
        (local.set $d (i32.add (local.get $d) (i32.const 64)))
        (local.set $s (i32.add (local.get $s) (i32.const 64)))
        (local.set $k (i32.add (local.get $k) (i32.const 8)))
        (br $l8)))
    (block $d2
      (loop $l2
        (br_if $d2 (i32.ge_u (local.get $k) (local.get $m2)))
        (v128.store offset=0 (local.get $d)
          (f64x2.add (v128.load offset=0 (local.get $d)) (f64x2.mul (v128.load offset=0 (local.get $s)) (local.get $vv))))
        (local.set $d (i32.add (local.get $d) (i32.const 16)))
        (local.set $s (i32.add (local.get $s) (i32.const 16)))
        (local.set $k (i32.add (local.get $k) (i32.const 2)))
        (br $l2)))
    (if (i32.lt_u (local.get $k) (local.get $m))
      (then (f64.store (local.get $d) (f64.add (f64.load (local.get $d)) (f64.mul (f64.load (local.get $s)) (local.get $v))))))
  )

  ;; dst[0..m) += src[0..m)·v, then += src2[0..m)·v2: the two updates of `axpy` in one pass (the same additions in the
  ;; same order, so the same bits), loading and storing dst once.
  (func $axpy2 (param $d i32) (param $s i32) (param $v f64) (param $s2 i32) (param $v2 f64) (param $m i32)
    (local $vv v128) (local $vv2 v128) (local $k i32) (local $m8 i32) (local $m2 i32)
    (local.set $vv (f64x2.splat (local.get $v)))
    (local.set $vv2 (f64x2.splat (local.get $v2)))
    (local.set $m8 (i32.and (local.get $m) (i32.const -8)))
    (local.set $m2 (i32.and (local.get $m) (i32.const -2)))
    (local.set $k (i32.const 0))
    (block $d8
      (loop $l8
        (br_if $d8 (i32.ge_u (local.get $k) (local.get $m8)))
        (v128.store offset=0 (local.get $d)
          (f64x2.add (f64x2.add (v128.load offset=0 (local.get $d)) (f64x2.mul (v128.load offset=0 (local.get $s)) (local.get $vv))) (f64x2.mul (v128.load offset=0 (local.get $s2)) (local.get $vv2))))
        (v128.store offset=16 (local.get $d)
          (f64x2.add (f64x2.add (v128.load offset=16 (local.get $d)) (f64x2.mul (v128.load offset=16 (local.get $s)) (local.get $vv))) (f64x2.mul (v128.load offset=16 (local.get $s2)) (local.get $vv2))))
        (v128.store offset=32 (local.get $d)
          (f64x2.add (f64x2.add (v128.load offset=32 (local.get $d)) (f64x2.mul (v128.load offset=32 (local.get $s)) (local.get $vv))) (f64x2.mul (v128.load offset=32 (local.get $s2)) (local.get $vv2))))
        (v128.store offset=48 (local.get $d)
          (f64x2.add (f64x2.add (v128.load offset=48 (local.get $d)) (f64x2.mul (v128.load offset=48 (local.get $s)) (local.get $vv))) (f64x2.mul (v128.load offset=48 (local.get $s2)) (local.get $vv2))))
        (local.set $d (i32.add (local.get $d) (i32.const 64)))
        (local.set $s (i32.add (local.get $s) (i32.const 64)))
        (local.set $s2 (i32.add (local.get $s2) (i32.const 64)))
        (local.set $k (i32.add (local.get $k) (i32.const 8)))
        (br $l8)))
    (block $d2
      (loop $l2
        (br_if $d2 (i32.ge_u (local.get $k) (local.get $m2)))
        (v128.store offset=0 (local.get $d)
          (f64x2.add (f64x2.add (v128.load offset=0 (local.get $d)) (f64x2.mul (v128.load offset=0 (local.get $s)) (local.get $vv))) (f64x2.mul (v128.load offset=0 (local.get $s2)) (local.get $vv2))))
        (local.set $d (i32.add (local.get $d) (i32.const 16)))
        (local.set $s (i32.add (local.get $s) (i32.const 16)))
        (local.set $s2 (i32.add (local.get $s2) (i32.const 16)))
        (local.set $k (i32.add (local.get $k) (i32.const 2)))
        (br $l2)))
    (if (i32.lt_u (local.get $k) (local.get $m))
      (then (f64.store (local.get $d) (f64.add (f64.add (f64.load (local.get $d)) (f64.mul (f64.load (local.get $s)) (local.get $v))) (f64.mul (f64.load (local.get $s2)) (local.get $v2))))))
  )

  ;; Sparse rows for the toy model's encoder (both in nonzero order per sample, as the reference kernels):
;;   gather: out[s, :] = Σ_q vals[q] · W[idx[q], :]        (h = X W_inᵀ with W given transposed, n×m)
;;   scatter: out[idx[q], :] += vals[q] · G[s, :]          (W_inᵀ gradient = Xᵀ G)
;; for the nonzeros q of sample s (counts[s] of them, consecutive in vals/idx); rows have m f64 (m even or odd).
;; The gather adds a sample's nonzeros two at a time (axpy2: its output row is read and written once per pair).
  (func (export "sparseRows")
    (param $out i32) (param $w i32) (param $vals i32) (param $idx i32) (param $counts i32) (param $rows i32)
    (param $m i32) (param $scatter i32)
    (local $s i32) (local $q i32) (local $end i32) (local $rowBytes i32) (local $row i32)
    (local.set $rowBytes (i32.shl (local.get $m) (i32.const 3)))
    (local.set $q (i32.const 0))
    (local.set $s (i32.const 0))
    (block $sdone
      (loop $sl
        (br_if $sdone (i32.ge_u (local.get $s) (local.get $rows)))
        (local.set $end (i32.add (local.get $q) (i32.load (i32.add (local.get $counts) (i32.shl (local.get $s) (i32.const 2))))))
        (local.set $row (i32.mul (local.get $s) (local.get $rowBytes)))
        (block $qdone
          (loop $ql
            (br_if $qdone (i32.ge_u (local.get $q) (local.get $end)))
            (if (local.get $scatter)
              (then
                (call $axpy
                  (i32.add (local.get $out) (i32.mul (i32.load (i32.add (local.get $idx) (i32.shl (local.get $q) (i32.const 2)))) (local.get $rowBytes)))
                  (i32.add (local.get $w) (local.get $row))
                  (f64.load (i32.add (local.get $vals) (i32.shl (local.get $q) (i32.const 3))))
                  (local.get $m))
                (local.set $q (i32.add (local.get $q) (i32.const 1))))
              (else
                (if (i32.lt_u (i32.add (local.get $q) (i32.const 1)) (local.get $end))
                  (then
                    (call $axpy2
                      (i32.add (local.get $out) (local.get $row))
                      (i32.add (local.get $w) (i32.mul (i32.load (i32.add (local.get $idx) (i32.shl (local.get $q) (i32.const 2)))) (local.get $rowBytes)))
                      (f64.load (i32.add (local.get $vals) (i32.shl (local.get $q) (i32.const 3))))
                      (i32.add (local.get $w) (i32.mul (i32.load offset=4 (i32.add (local.get $idx) (i32.shl (local.get $q) (i32.const 2)))) (local.get $rowBytes)))
                      (f64.load offset=8 (i32.add (local.get $vals) (i32.shl (local.get $q) (i32.const 3))))
                      (local.get $m))
                    (local.set $q (i32.add (local.get $q) (i32.const 2))))
                  (else
                    (call $axpy
                      (i32.add (local.get $out) (local.get $row))
                      (i32.add (local.get $w) (i32.mul (i32.load (i32.add (local.get $idx) (i32.shl (local.get $q) (i32.const 2)))) (local.get $rowBytes)))
                      (f64.load (i32.add (local.get $vals) (i32.shl (local.get $q) (i32.const 3))))
                      (local.get $m))
                    (local.set $q (i32.add (local.get $q) (i32.const 1)))))))
            (br $ql)))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $sl))))
)
