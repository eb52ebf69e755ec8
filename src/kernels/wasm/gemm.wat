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

  ;; dst[k] = Σ_{t ∈ [from, to)} vals[t]·src_t[k], src_t = base + idx[t]·rowBytes, k < m (mBytes = 8m), the terms
  ;; added in order t from 0: each element (((0 + v_from·src) + …) + v_{to−1}·src), the reference kernels' order.
  ;; dst is cleared, then takes the terms four at a time in one pass over the row (((d + a) + b) + c) + e (so dst is
  ;; loaded and stored once per four terms, and every source row is read front to back), then two, then one; f64x2
  ;; lanes, an odd m's last element in scalar code. Every element sees the same additions in the same order.
  (func $combine (param $dst i32) (param $base i32) (param $rowBytes i32) (param $vals i32) (param $idx i32)
    (param $from i32) (param $to i32) (param $mBytes i32)
    (local $k i32) (local $t i32) (local $m2 i32) (local $p0 i32) (local $p1 i32) (local $p2 i32) (local $p3 i32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
    (local.set $m2 (i32.and (local.get $mBytes) (i32.const -16)))
    (local.set $k (i32.const 0))
    (block $zd (loop $zl
      (br_if $zd (i32.ge_u (local.get $k) (local.get $m2)))
      (v128.store (i32.add (local.get $dst) (local.get $k)) (v128.const i64x2 0 0))
      (local.set $k (i32.add (local.get $k) (i32.const 16)))
      (br $zl)))
    (if (i32.lt_u (local.get $m2) (local.get $mBytes))
      (then (f64.store (i32.add (local.get $dst) (local.get $m2)) (f64.const 0))))
    (local.set $t (local.get $from))
    (block $d4 (loop $l4
      (br_if $d4 (i32.gt_u (i32.add (local.get $t) (i32.const 4)) (local.get $to)))
      (local.set $p0 (i32.add (local.get $base) (i32.mul (i32.load offset=0 (i32.add (local.get $idx) (i32.shl (local.get $t) (i32.const 2)))) (local.get $rowBytes))))
      (local.set $p1 (i32.add (local.get $base) (i32.mul (i32.load offset=4 (i32.add (local.get $idx) (i32.shl (local.get $t) (i32.const 2)))) (local.get $rowBytes))))
      (local.set $p2 (i32.add (local.get $base) (i32.mul (i32.load offset=8 (i32.add (local.get $idx) (i32.shl (local.get $t) (i32.const 2)))) (local.get $rowBytes))))
      (local.set $p3 (i32.add (local.get $base) (i32.mul (i32.load offset=12 (i32.add (local.get $idx) (i32.shl (local.get $t) (i32.const 2)))) (local.get $rowBytes))))
      (local.set $v0 (v128.load64_splat offset=0 (i32.add (local.get $vals) (i32.shl (local.get $t) (i32.const 3)))))
      (local.set $v1 (v128.load64_splat offset=8 (i32.add (local.get $vals) (i32.shl (local.get $t) (i32.const 3)))))
      (local.set $v2 (v128.load64_splat offset=16 (i32.add (local.get $vals) (i32.shl (local.get $t) (i32.const 3)))))
      (local.set $v3 (v128.load64_splat offset=24 (i32.add (local.get $vals) (i32.shl (local.get $t) (i32.const 3)))))
      (local.set $k (i32.const 0))
      (block $kd (loop $kl
        (br_if $kd (i32.ge_u (local.get $k) (local.get $m2)))
        (v128.store (i32.add (local.get $dst) (local.get $k))
          (f64x2.add (f64x2.add (f64x2.add (f64x2.add (v128.load (i32.add (local.get $dst) (local.get $k)))
            (f64x2.mul (v128.load (i32.add (local.get $p0) (local.get $k))) (local.get $v0)))
            (f64x2.mul (v128.load (i32.add (local.get $p1) (local.get $k))) (local.get $v1)))
            (f64x2.mul (v128.load (i32.add (local.get $p2) (local.get $k))) (local.get $v2)))
            (f64x2.mul (v128.load (i32.add (local.get $p3) (local.get $k))) (local.get $v3))))
        (local.set $k (i32.add (local.get $k) (i32.const 16)))
        (br $kl)))
      (if (i32.lt_u (local.get $m2) (local.get $mBytes))
        (then
          (f64.store (i32.add (local.get $dst) (local.get $m2))
            (f64.add (f64.add (f64.add (f64.add (f64.load (i32.add (local.get $dst) (local.get $m2)))
              (f64.mul (f64.load (i32.add (local.get $p0) (local.get $m2))) (f64x2.extract_lane 0 (local.get $v0))))
              (f64.mul (f64.load (i32.add (local.get $p1) (local.get $m2))) (f64x2.extract_lane 0 (local.get $v1))))
              (f64.mul (f64.load (i32.add (local.get $p2) (local.get $m2))) (f64x2.extract_lane 0 (local.get $v2))))
              (f64.mul (f64.load (i32.add (local.get $p3) (local.get $m2))) (f64x2.extract_lane 0 (local.get $v3)))))))
      (local.set $t (i32.add (local.get $t) (i32.const 4)))
      (br $l4)))
    ;; the last one to three terms, one at a time
    (block $d1 (loop $l1
      (br_if $d1 (i32.ge_u (local.get $t) (local.get $to)))
      (local.set $p0 (i32.add (local.get $base) (i32.mul (i32.load (i32.add (local.get $idx) (i32.shl (local.get $t) (i32.const 2)))) (local.get $rowBytes))))
      (local.set $v0 (v128.load64_splat (i32.add (local.get $vals) (i32.shl (local.get $t) (i32.const 3)))))
      (local.set $k (i32.const 0))
      (block $kd (loop $kl
        (br_if $kd (i32.ge_u (local.get $k) (local.get $m2)))
        (v128.store (i32.add (local.get $dst) (local.get $k))
          (f64x2.add (v128.load (i32.add (local.get $dst) (local.get $k)))
            (f64x2.mul (v128.load (i32.add (local.get $p0) (local.get $k))) (local.get $v0))))
        (local.set $k (i32.add (local.get $k) (i32.const 16)))
        (br $kl)))
      (if (i32.lt_u (local.get $m2) (local.get $mBytes))
        (then
          (f64.store (i32.add (local.get $dst) (local.get $m2))
            (f64.add (f64.load (i32.add (local.get $dst) (local.get $m2)))
              (f64.mul (f64.load (i32.add (local.get $p0) (local.get $m2))) (f64x2.extract_lane 0 (local.get $v0)))))))
      (local.set $t (i32.add (local.get $t) (i32.const 1)))
      (br $l1)))
  )

  ;; Sparse rows for the toy model's encoder (both in nonzero order per sample, as the reference kernels), for the
  ;; nonzeros q of sample s (counts[s] of them, consecutive in vals/idx); rows have m f64 (m even or odd):
  ;;   gatherRows:  out[s, :] = Σ_q vals[q] · W[idx[q], :]    (h = X W_inᵀ with W given transposed, n×m)
  ;;   scatterRows: out[j, :] = Σ_{q: idx[q] = j} vals[q] · G[s_q, :]   (W_inᵀ gradient = Xᵀ G), the terms of each
  ;;     row j in increasing s (the reference adds sample by sample): the nonzeros are first regrouped by column
  ;;     (a counting sort, stable in s, into colStart (cols + 1 i32), next (cols i32), rowOf (nnz i32) and valOf
  ;;     (nnz f64)), then each row j is one $combine over its column's nonzeros.
  ;; Every row of out is written (no need to clear it first).
  (func (export "gatherRows")
    (param $out i32) (param $w i32) (param $vals i32) (param $idx i32) (param $counts i32) (param $rows i32)
    (param $m i32)
    (local $s i32) (local $q i32) (local $end i32) (local $rowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $m) (i32.const 3)))
    (local.set $q (i32.const 0))
    (local.set $s (i32.const 0))
    (block $sdone
      (loop $sl
        (br_if $sdone (i32.ge_u (local.get $s) (local.get $rows)))
        (local.set $end (i32.add (local.get $q) (i32.load (i32.add (local.get $counts) (i32.shl (local.get $s) (i32.const 2))))))
        (call $combine (i32.add (local.get $out) (i32.mul (local.get $s) (local.get $rowBytes))) (local.get $w)
          (local.get $rowBytes) (local.get $vals) (local.get $idx) (local.get $q) (local.get $end) (local.get $rowBytes))
        (local.set $q (local.get $end))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $sl))))

  (func (export "scatterRows")
    (param $out i32) (param $g i32) (param $vals i32) (param $idx i32) (param $counts i32) (param $rows i32)
    (param $m i32) (param $cols i32) (param $colStart i32) (param $next i32) (param $rowOf i32) (param $valOf i32)
    (local $s i32) (local $q i32) (local $end i32) (local $rowBytes i32) (local $j i32) (local $at i32) (local $nnz i32)
    (local.set $rowBytes (i32.shl (local.get $m) (i32.const 3)))
    ;; column counts at colStart[j + 1]
    (local.set $j (i32.const 0))
    (block $zd (loop $zl
      (br_if $zd (i32.gt_u (local.get $j) (local.get $cols)))
      (i32.store (i32.add (local.get $colStart) (i32.shl (local.get $j) (i32.const 2))) (i32.const 0))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $zl)))
    (local.set $nnz (i32.const 0))
    (local.set $s (i32.const 0))
    (block $cd (loop $cl
      (br_if $cd (i32.ge_u (local.get $s) (local.get $rows)))
      (local.set $nnz (i32.add (local.get $nnz) (i32.load (i32.add (local.get $counts) (i32.shl (local.get $s) (i32.const 2))))))
      (local.set $s (i32.add (local.get $s) (i32.const 1)))
      (br $cl)))
    (local.set $q (i32.const 0))
    (block $hd (loop $hl
      (br_if $hd (i32.ge_u (local.get $q) (local.get $nnz)))
      (local.set $at (i32.add (local.get $colStart)
        (i32.shl (i32.add (i32.load (i32.add (local.get $idx) (i32.shl (local.get $q) (i32.const 2)))) (i32.const 1)) (i32.const 2))))
      (i32.store (local.get $at) (i32.add (i32.load (local.get $at)) (i32.const 1)))
      (local.set $q (i32.add (local.get $q) (i32.const 1)))
      (br $hl)))
    ;; prefix sums: colStart[j] = first slot of column j; next[j] its cursor
    (local.set $j (i32.const 0))
    (block $pd (loop $pl
      (br_if $pd (i32.ge_u (local.get $j) (local.get $cols)))
      (local.set $at (i32.add (local.get $colStart) (i32.shl (local.get $j) (i32.const 2))))
      (i32.store offset=4 (local.get $at) (i32.add (i32.load offset=4 (local.get $at)) (i32.load (local.get $at))))
      (i32.store (i32.add (local.get $next) (i32.shl (local.get $j) (i32.const 2))) (i32.load (local.get $at)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $pl)))
    ;; the nonzeros into their columns' slots, sample by sample (so each column's list is in increasing s)
    (local.set $q (i32.const 0))
    (local.set $s (i32.const 0))
    (block $fd (loop $fl
      (br_if $fd (i32.ge_u (local.get $s) (local.get $rows)))
      (local.set $end (i32.add (local.get $q) (i32.load (i32.add (local.get $counts) (i32.shl (local.get $s) (i32.const 2))))))
      (block $qd (loop $ql
        (br_if $qd (i32.ge_u (local.get $q) (local.get $end)))
        (local.set $at (i32.add (local.get $next)
          (i32.shl (i32.load (i32.add (local.get $idx) (i32.shl (local.get $q) (i32.const 2)))) (i32.const 2))))
        (local.set $j (i32.load (local.get $at)))
        (i32.store (local.get $at) (i32.add (local.get $j) (i32.const 1)))
        (i32.store (i32.add (local.get $rowOf) (i32.shl (local.get $j) (i32.const 2))) (local.get $s))
        (f64.store (i32.add (local.get $valOf) (i32.shl (local.get $j) (i32.const 3)))
          (f64.load (i32.add (local.get $vals) (i32.shl (local.get $q) (i32.const 3)))))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $ql)))
      (local.set $s (i32.add (local.get $s) (i32.const 1)))
      (br $fl)))
    (local.set $j (i32.const 0))
    (block $jd (loop $jl
      (br_if $jd (i32.ge_u (local.get $j) (local.get $cols)))
      (local.set $at (i32.add (local.get $colStart) (i32.shl (local.get $j) (i32.const 2))))
      (call $combine (i32.add (local.get $out) (i32.mul (local.get $j) (local.get $rowBytes))) (local.get $g)
        (local.get $rowBytes) (local.get $valOf) (local.get $rowOf) (i32.load (local.get $at))
        (i32.load offset=4 (local.get $at)) (local.get $rowBytes))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $jl))))
)
