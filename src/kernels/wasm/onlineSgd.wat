;; The fused online-SGD step of src/sim/refinetti2022/onlineSgd.ts in WebAssembly with 128-bit SIMD (f64x2).
;;
;; Every pass performs exactly the floating-point operations of the JavaScript step, in the same order: the
;; encoder dot product keeps four partial sums (lanes of two f64x2 accumulators, summed as (s0 + s1) + (s2 + s3),
;; the tail added to s0), the decoder's w·r keeps two (even and odd indices, the tail added to the even one), and
;; WebAssembly has no fused multiply-add, just as V8 emits none. The two engines therefore agree bit for bit, which
;; properties/sgdEngines.property.ts checks.
;;
;; Arguments are byte offsets into the exported memory (f64 arrays laid out by the caller) and sizes. The module
;; allocates nothing and keeps no state between calls.
;;
;; Build: npx tsx src/kernels/wasm/build.ts (writes onlineSgdWasm.generated.ts; a test checks it is up to date).
(module
  (memory (export "memory") 1)

;; lam[k] = W_k · x (unscaled) for k < K; when pending ≠ 0 first W_k += alpha[k] · xp (the lazy encoder update),
  ;; fused into the same pass. With the update pending, rows go in pairs through one loop (x and xp loaded once for
  ;; both); each row keeps its own accumulators, so the pairing changes no result.
  (func (export "encoder")
    (param $W i32) (param $xp i32) (param $alpha i32) (param $x i32) (param $lam i32)
    (param $K i32) (param $D i32) (param $pending i32)
    (local $k i32) (local $row i32) (local $rowB i32) (local $i i32) (local $end4 i32) (local $rowBytes i32)
    (local $av v128) (local $bv v128) (local $acc0 v128) (local $acc1 v128) (local $bcc0 v128) (local $bcc1 v128)
    (local $w01 v128) (local $w23 v128) (local $x01 v128) (local $x23 v128) (local $p01 v128) (local $p23 v128)
    (local $o i32) (local $p i32) (local $q i32)
    ;; end4 = the largest multiple of 4 ≤ D (JS: i + 3 < D)
    (local.set $end4 (i32.and (local.get $D) (i32.const -4)))
    (local.set $rowBytes (i32.shl (local.get $D) (i32.const 3)))
    (local.set $k (i32.const 0))
    (block $kdone
      (loop $kloop
        (br_if $kdone (i32.ge_u (local.get $k) (local.get $K)))
        (local.set $row (i32.add (local.get $W) (i32.mul (local.get $k) (local.get $rowBytes))))
        (local.set $av (f64x2.splat (f64.load (i32.add (local.get $alpha) (i32.shl (local.get $k) (i32.const 3))))))
        (local.set $acc0 (v128.const f64x2 0 0))
        (local.set $acc1 (v128.const f64x2 0 0))
        (local.set $i (i32.const 0))
        (if (i32.and (local.get $pending) (i32.lt_u (i32.add (local.get $k) (i32.const 1)) (local.get $K)))
          (then
            ;; rows k and k + 1 together
            (local.set $rowB (i32.add (local.get $row) (local.get $rowBytes)))
            (local.set $bv (f64x2.splat
              (f64.load offset=8 (i32.add (local.get $alpha) (i32.shl (local.get $k) (i32.const 3))))))
            (local.set $bcc0 (v128.const f64x2 0 0))
            (local.set $bcc1 (v128.const f64x2 0 0))
            (block $done
              (loop $l
                (br_if $done (i32.ge_u (local.get $i) (local.get $end4)))
                (local.set $o (i32.shl (local.get $i) (i32.const 3)))
                (local.set $q (i32.add (local.get $xp) (local.get $o)))
                (local.set $p (i32.add (local.get $x) (local.get $o)))
                (local.set $p01 (v128.load (local.get $q)))
                (local.set $p23 (v128.load offset=16 (local.get $q)))
                (local.set $x01 (v128.load (local.get $p)))
                (local.set $x23 (v128.load offset=16 (local.get $p)))
                (local.set $p (i32.add (local.get $row) (local.get $o)))
                (local.set $w01 (f64x2.add (v128.load (local.get $p)) (f64x2.mul (local.get $av) (local.get $p01))))
                (local.set $w23 (f64x2.add (v128.load offset=16 (local.get $p)) (f64x2.mul (local.get $av) (local.get $p23))))
                (v128.store (local.get $p) (local.get $w01))
                (v128.store offset=16 (local.get $p) (local.get $w23))
                (local.set $acc0 (f64x2.add (local.get $acc0) (f64x2.mul (local.get $w01) (local.get $x01))))
                (local.set $acc1 (f64x2.add (local.get $acc1) (f64x2.mul (local.get $w23) (local.get $x23))))
                (local.set $p (i32.add (local.get $rowB) (local.get $o)))
                (local.set $w01 (f64x2.add (v128.load (local.get $p)) (f64x2.mul (local.get $bv) (local.get $p01))))
                (local.set $w23 (f64x2.add (v128.load offset=16 (local.get $p)) (f64x2.mul (local.get $bv) (local.get $p23))))
                (v128.store (local.get $p) (local.get $w01))
                (v128.store offset=16 (local.get $p) (local.get $w23))
                (local.set $bcc0 (f64x2.add (local.get $bcc0) (f64x2.mul (local.get $w01) (local.get $x01))))
                (local.set $bcc1 (f64x2.add (local.get $bcc1) (f64x2.mul (local.get $w23) (local.get $x23))))
                (local.set $i (i32.add (local.get $i) (i32.const 4)))
                (br $l)))
            (f64.store (i32.add (local.get $lam) (i32.shl (local.get $k) (i32.const 3)))
              (call $finishRow (local.get $row) (local.get $xp) (local.get $x) (f64x2.extract_lane 0 (local.get $av))
                (local.get $end4) (local.get $D) (i32.const 1) (local.get $acc0) (local.get $acc1)))
            (f64.store offset=8 (i32.add (local.get $lam) (i32.shl (local.get $k) (i32.const 3)))
              (call $finishRow (local.get $rowB) (local.get $xp) (local.get $x) (f64x2.extract_lane 0 (local.get $bv))
                (local.get $end4) (local.get $D) (i32.const 1) (local.get $bcc0) (local.get $bcc1)))
            (local.set $k (i32.add (local.get $k) (i32.const 2)))
            (br $kloop)))
        (if (local.get $pending)
          (then
            (block $done
              (loop $l
                (br_if $done (i32.ge_u (local.get $i) (local.get $end4)))
                (local.set $o (i32.shl (local.get $i) (i32.const 3)))
                (local.set $p (i32.add (local.get $row) (local.get $o)))
                (local.set $q (i32.add (local.get $xp) (local.get $o)))
                (local.set $w01 (f64x2.add (v128.load (local.get $p))
                  (f64x2.mul (local.get $av) (v128.load (local.get $q)))))
                (local.set $w23 (f64x2.add (v128.load offset=16 (local.get $p))
                  (f64x2.mul (local.get $av) (v128.load offset=16 (local.get $q)))))
                (v128.store (local.get $p) (local.get $w01))
                (v128.store offset=16 (local.get $p) (local.get $w23))
                (local.set $q (i32.add (local.get $x) (local.get $o)))
                (local.set $acc0 (f64x2.add (local.get $acc0) (f64x2.mul (local.get $w01) (v128.load (local.get $q)))))
                (local.set $acc1 (f64x2.add (local.get $acc1)
                  (f64x2.mul (local.get $w23) (v128.load offset=16 (local.get $q)))))
                (local.set $i (i32.add (local.get $i) (i32.const 4)))
                (br $l))))
          (else
            (block $done
              (loop $l
                (br_if $done (i32.ge_u (local.get $i) (local.get $end4)))
                (local.set $o (i32.shl (local.get $i) (i32.const 3)))
                (local.set $p (i32.add (local.get $row) (local.get $o)))
                (local.set $q (i32.add (local.get $x) (local.get $o)))
                (local.set $acc0 (f64x2.add (local.get $acc0)
                  (f64x2.mul (v128.load (local.get $p)) (v128.load (local.get $q)))))
                (local.set $acc1 (f64x2.add (local.get $acc1)
                  (f64x2.mul (v128.load offset=16 (local.get $p)) (v128.load offset=16 (local.get $q)))))
                (local.set $i (i32.add (local.get $i) (i32.const 4)))
                (br $l)))))
        (f64.store (i32.add (local.get $lam) (i32.shl (local.get $k) (i32.const 3)))
          (call $finishRow (local.get $row) (local.get $xp) (local.get $x) (f64x2.extract_lane 0 (local.get $av))
            (local.get $end4) (local.get $D) (local.get $pending) (local.get $acc0) (local.get $acc1)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $kloop))))

  ;; The tail i ∈ [start, D) of one encoder row (added to s0) and the final sum (s0 + s1) + (s2 + s3), the four
  ;; partial sums being the lanes of acc0 = (s0, s1) and acc1 = (s2, s3).
  (func $finishRow
    (param $row i32) (param $xp i32) (param $x i32) (param $a f64) (param $start i32) (param $D i32)
    (param $pending i32) (param $acc0 v128) (param $acc1 v128) (result f64)
    (local $i i32) (local $p i32) (local $w f64) (local $s0 f64)
    (local.set $s0 (f64x2.extract_lane 0 (local.get $acc0)))
    (local.set $i (local.get $start))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $D)))
        (local.set $p (i32.add (local.get $row) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $w (f64.load (local.get $p)))
        (if (local.get $pending)
          (then
            (local.set $w (f64.add (local.get $w)
              (f64.mul (local.get $a) (f64.load (i32.add (local.get $xp) (i32.shl (local.get $i) (i32.const 3)))))))
            (f64.store (local.get $p) (local.get $w))))
        (local.set $s0 (f64.add (local.get $s0)
          (f64.mul (local.get $w) (f64.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 3)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (f64.add
      (f64.add (local.get $s0) (f64x2.extract_lane 1 (local.get $acc0)))
      (f64.add (f64x2.extract_lane 0 (local.get $acc1)) (f64x2.extract_lane 1 (local.get $acc1)))))

;; Vanilla decoder pass: r = x − Σ_k V_k h[k] (units with h[k] = 0 skipped); then for each k, coef[k] = V_k · r
  ;; with the pre-update V_k, and (unless tied) V_k += (etaD h[k]) r in the same pass. Consecutive rows go in pairs
  ;; through one loop (r loaded once for both); every element still sees the operations in the order of separate
  ;; passes, and every row keeps its own accumulators, so the pairing changes no result.
  (func (export "decoderVanilla")
    (param $V i32) (param $x i32) (param $h i32) (param $r i32) (param $coef i32)
    (param $K i32) (param $D i32) (param $etaD f64) (param $tied i32)
    (local $k i32) (local $row i32) (local $rowB i32) (local $i i32) (local $end2 i32) (local $rowBytes i32)
    (local $hk f64) (local $hb f64) (local $hv v128) (local $hbv v128)
    (local $av v128) (local $bv v128) (local $acc v128) (local $bcc v128) (local $v v128) (local $rr v128)
    (local $o i32) (local $p i32) (local $q i32)
    (local.set $end2 (i32.and (local.get $D) (i32.const -2)))
    (local.set $rowBytes (i32.shl (local.get $D) (i32.const 3)))
    (memory.copy (local.get $r) (local.get $x) (local.get $rowBytes))
    ;; --- residual ---
    (local.set $k (i32.const 0))
    (block $kdone
      (loop $kloop
        (br_if $kdone (i32.ge_u (local.get $k) (local.get $K)))
        (local.set $hk (f64.load (i32.add (local.get $h) (i32.shl (local.get $k) (i32.const 3)))))
        (local.set $row (i32.add (local.get $V) (i32.mul (local.get $k) (local.get $rowBytes))))
        (local.set $hv (f64x2.splat (local.get $hk)))
        (if (f64.ne (local.get $hk) (f64.const 0))
          (then
            (local.set $hb (f64.const 0))
            (if (i32.lt_u (i32.add (local.get $k) (i32.const 1)) (local.get $K))
              (then (local.set $hb (f64.load offset=8 (i32.add (local.get $h) (i32.shl (local.get $k) (i32.const 3)))))))
            (if (f64.ne (local.get $hb) (f64.const 0))
              (then
                ;; rows k and k + 1: r = (r − V_k h_k) − V_{k+1} h_{k+1}
                (local.set $rowB (i32.add (local.get $row) (local.get $rowBytes)))
                (local.set $hbv (f64x2.splat (local.get $hb)))
                (call $residualPair (local.get $row) (local.get $rowB) (local.get $r) (local.get $hv) (local.get $hbv)
                  (local.get $end2))
                (if (i32.lt_u (local.get $end2) (local.get $D))
                  (then
                    (local.set $q (i32.add (local.get $r) (i32.shl (local.get $end2) (i32.const 3))))
                    (local.set $o (i32.shl (local.get $end2) (i32.const 3)))
                    (f64.store (local.get $q)
                      (f64.sub
                        (f64.sub (f64.load (local.get $q))
                          (f64.mul (f64.load (i32.add (local.get $row) (local.get $o))) (local.get $hk)))
                        (f64.mul (f64.load (i32.add (local.get $rowB) (local.get $o))) (local.get $hb))))))
                (local.set $k (i32.add (local.get $k) (i32.const 2)))
                (br $kloop)))
            (local.set $i (i32.const 0))
            (block $done
              (loop $l
                (br_if $done (i32.ge_u (local.get $i) (local.get $end2)))
                (local.set $o (i32.shl (local.get $i) (i32.const 3)))
                (local.set $q (i32.add (local.get $r) (local.get $o)))
                (v128.store (local.get $q)
                  (f64x2.sub (v128.load (local.get $q))
                    (f64x2.mul (v128.load (i32.add (local.get $row) (local.get $o))) (local.get $hv))))
                (local.set $i (i32.add (local.get $i) (i32.const 2)))
                (br $l)))
            (if (i32.lt_u (local.get $i) (local.get $D))
              (then
                (local.set $o (i32.shl (local.get $i) (i32.const 3)))
                (local.set $q (i32.add (local.get $r) (local.get $o)))
                (f64.store (local.get $q)
                  (f64.sub (f64.load (local.get $q))
                    (f64.mul (f64.load (i32.add (local.get $row) (local.get $o))) (local.get $hk))))))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $kloop)))
    ;; --- coefficients and decoder update ---
    (local.set $k (i32.const 0))
    (block $kdone
      (loop $kloop
        (br_if $kdone (i32.ge_u (local.get $k) (local.get $K)))
        (local.set $row (i32.add (local.get $V) (i32.mul (local.get $k) (local.get $rowBytes))))
        (local.set $av (f64x2.splat (f64.mul (local.get $etaD)
          (f64.load (i32.add (local.get $h) (i32.shl (local.get $k) (i32.const 3)))))))
        (local.set $acc (v128.const f64x2 0 0))
        (local.set $i (i32.const 0))
        (if (i32.lt_u (i32.add (local.get $k) (i32.const 1)) (local.get $K))
          (then
            (local.set $rowB (i32.add (local.get $row) (local.get $rowBytes)))
            (local.set $bv (f64x2.splat (f64.mul (local.get $etaD)
              (f64.load offset=8 (i32.add (local.get $h) (i32.shl (local.get $k) (i32.const 3)))))))
            (local.set $bcc (v128.const f64x2 0 0))
            (block $done
              (loop $l
                (br_if $done (i32.ge_u (local.get $i) (local.get $end2)))
                (local.set $o (i32.shl (local.get $i) (i32.const 3)))
                (local.set $rr (v128.load (i32.add (local.get $r) (local.get $o))))
                (local.set $p (i32.add (local.get $row) (local.get $o)))
                (local.set $v (v128.load (local.get $p)))
                (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $v) (local.get $rr))))
                (if (i32.eqz (local.get $tied))
                  (then (v128.store (local.get $p) (f64x2.add (local.get $v) (f64x2.mul (local.get $av) (local.get $rr))))))
                (local.set $p (i32.add (local.get $rowB) (local.get $o)))
                (local.set $v (v128.load (local.get $p)))
                (local.set $bcc (f64x2.add (local.get $bcc) (f64x2.mul (local.get $v) (local.get $rr))))
                (if (i32.eqz (local.get $tied))
                  (then (v128.store (local.get $p) (f64x2.add (local.get $v) (f64x2.mul (local.get $bv) (local.get $rr))))))
                (local.set $i (i32.add (local.get $i) (i32.const 2)))
                (br $l)))
            (f64.store (i32.add (local.get $coef) (i32.shl (local.get $k) (i32.const 3)))
              (call $finishCoef (local.get $row) (local.get $r) (local.get $end2) (local.get $D)
                (f64x2.extract_lane 0 (local.get $av)) (local.get $tied) (local.get $acc)))
            (f64.store offset=8 (i32.add (local.get $coef) (i32.shl (local.get $k) (i32.const 3)))
              (call $finishCoef (local.get $rowB) (local.get $r) (local.get $end2) (local.get $D)
                (f64x2.extract_lane 0 (local.get $bv)) (local.get $tied) (local.get $bcc)))
            (local.set $k (i32.add (local.get $k) (i32.const 2)))
            (br $kloop)))
        (block $done
          (loop $l
            (br_if $done (i32.ge_u (local.get $i) (local.get $end2)))
            (local.set $o (i32.shl (local.get $i) (i32.const 3)))
            (local.set $rr (v128.load (i32.add (local.get $r) (local.get $o))))
            (local.set $p (i32.add (local.get $row) (local.get $o)))
            (local.set $v (v128.load (local.get $p)))
            (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $v) (local.get $rr))))
            (if (i32.eqz (local.get $tied))
              (then (v128.store (local.get $p) (f64x2.add (local.get $v) (f64x2.mul (local.get $av) (local.get $rr))))))
            (local.set $i (i32.add (local.get $i) (i32.const 2)))
            (br $l)))
        (f64.store (i32.add (local.get $coef) (i32.shl (local.get $k) (i32.const 3)))
          (call $finishCoef (local.get $row) (local.get $r) (local.get $end2) (local.get $D)
            (f64x2.extract_lane 0 (local.get $av)) (local.get $tied) (local.get $acc)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $kloop))))

  ;; r[i] = (r[i] − A[i] ha) − B[i] hb for i < end (even), two rows of V in one pass.
  (func $residualPair
    (param $A i32) (param $B i32) (param $r i32) (param $ha v128) (param $hb v128) (param $end i32)
    (local $i i32) (local $o i32) (local $q i32)
    (local.set $i (i32.const 0))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $o (i32.shl (local.get $i) (i32.const 3)))
        (local.set $q (i32.add (local.get $r) (local.get $o)))
        (v128.store (local.get $q)
          (f64x2.sub
            (f64x2.sub (v128.load (local.get $q)) (f64x2.mul (v128.load (i32.add (local.get $A) (local.get $o))) (local.get $ha)))
            (f64x2.mul (v128.load (i32.add (local.get $B) (local.get $o))) (local.get $hb))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $l))))

  ;; The odd tail of a coefficient row (into the even partial sum, and the update unless tied) and the final sum
  ;; c_even + c_odd, the partial sums being the lanes of acc.
  (func $finishCoef
    (param $row i32) (param $r i32) (param $start i32) (param $D i32) (param $a f64) (param $tied i32)
    (param $acc v128) (result f64)
    (local $ce f64) (local $p i32) (local $vs f64) (local $rs f64)
    (local.set $ce (f64x2.extract_lane 0 (local.get $acc)))
    (if (i32.lt_u (local.get $start) (local.get $D))
      (then
        (local.set $p (i32.add (local.get $row) (i32.shl (local.get $start) (i32.const 3))))
        (local.set $vs (f64.load (local.get $p)))
        (local.set $rs (f64.load (i32.add (local.get $r) (i32.shl (local.get $start) (i32.const 3)))))
        (local.set $ce (f64.add (local.get $ce) (f64.mul (local.get $vs) (local.get $rs))))
        (if (i32.eqz (local.get $tied))
          (then (f64.store (local.get $p) (f64.add (local.get $vs) (f64.mul (local.get $a) (local.get $rs))))))))
    (f64.add (local.get $ce) (f64x2.extract_lane 1 (local.get $acc))))

  ;; Truncated decoder pass (untied): r = x; for k in order, r −= V_k h[k], coef[k] = V_k · r (pre-update V_k,
  ;; truncated residual), V_k += (etaD h[k]) r — one pass over V_k per unit.
  (func (export "decoderTruncated")
    (param $V i32) (param $x i32) (param $h i32) (param $r i32) (param $coef i32)
    (param $K i32) (param $D i32) (param $etaD f64)
    (local $k i32) (local $row i32) (local $i i32) (local $end2 i32) (local $hk f64) (local $hv v128)
    (local $a f64) (local $av v128) (local $acc v128) (local $v v128) (local $rr v128)
    (local $p i32) (local $q i32) (local $ce f64) (local $vs f64) (local $rs f64)
    (local.set $end2 (i32.and (local.get $D) (i32.const -2)))
    (memory.copy (local.get $r) (local.get $x) (i32.shl (local.get $D) (i32.const 3)))
    (local.set $k (i32.const 0))
    (block $kdone
      (loop $kloop
        (br_if $kdone (i32.ge_u (local.get $k) (local.get $K)))
        (local.set $row (i32.add (local.get $V) (i32.shl (i32.mul (local.get $k) (local.get $D)) (i32.const 3))))
        (local.set $hk (f64.load (i32.add (local.get $h) (i32.shl (local.get $k) (i32.const 3)))))
        (local.set $hv (f64x2.splat (local.get $hk)))
        (local.set $a (f64.mul (local.get $etaD) (local.get $hk)))
        (local.set $av (f64x2.splat (local.get $a)))
        (local.set $acc (v128.const f64x2 0 0))
        (local.set $i (i32.const 0))
        (block $done
          (loop $l
            (br_if $done (i32.ge_u (local.get $i) (local.get $end2)))
            (local.set $p (i32.add (local.get $row) (i32.shl (local.get $i) (i32.const 3))))
            (local.set $q (i32.add (local.get $r) (i32.shl (local.get $i) (i32.const 3))))
            (local.set $v (v128.load (local.get $p)))
            (local.set $rr (f64x2.sub (v128.load (local.get $q)) (f64x2.mul (local.get $v) (local.get $hv))))
            (v128.store (local.get $q) (local.get $rr))
            (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $v) (local.get $rr))))
            (v128.store (local.get $p) (f64x2.add (local.get $v) (f64x2.mul (local.get $av) (local.get $rr))))
            (local.set $i (i32.add (local.get $i) (i32.const 2)))
            (br $l)))
        (local.set $ce (f64x2.extract_lane 0 (local.get $acc)))
        (if (i32.lt_u (local.get $i) (local.get $D))
          (then
            (local.set $p (i32.add (local.get $row) (i32.shl (local.get $i) (i32.const 3))))
            (local.set $q (i32.add (local.get $r) (i32.shl (local.get $i) (i32.const 3))))
            (local.set $vs (f64.load (local.get $p)))
            (local.set $rs (f64.sub (f64.load (local.get $q)) (f64.mul (local.get $vs) (local.get $hk))))
            (f64.store (local.get $q) (local.get $rs))
            (local.set $ce (f64.add (local.get $ce) (f64.mul (local.get $vs) (local.get $rs))))
            (f64.store (local.get $p) (f64.add (local.get $vs) (f64.mul (local.get $a) (local.get $rs))))))
        (f64.store (i32.add (local.get $coef) (i32.shl (local.get $k) (i32.const 3)))
          (f64.add (local.get $ce) (f64x2.extract_lane 1 (local.get $acc))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $kloop))))

  ;; dst[i] += a·x[i] (+ b·y[i] when withY ≠ 0), i < n: the tied encoder update and the spiked model's
  ;; out += c·e_τ. Same operation order as JS: dst + ((a·x) + (b·y)).
  (func (export "axpy")
    (param $dst i32) (param $x i32) (param $a f64) (param $y i32) (param $b f64) (param $withY i32) (param $n i32)
    (local $i i32) (local $end2 i32) (local $av v128) (local $bv v128) (local $p i32) (local $o i32)
    (local.set $end2 (i32.and (local.get $n) (i32.const -2)))
    (local.set $av (f64x2.splat (local.get $a)))
    (local.set $bv (f64x2.splat (local.get $b)))
    (local.set $i (i32.const 0))
    (if (local.get $withY)
      (then
        (block $done
          (loop $l
            (br_if $done (i32.ge_u (local.get $i) (local.get $end2)))
            (local.set $o (i32.shl (local.get $i) (i32.const 3)))
            (local.set $p (i32.add (local.get $dst) (local.get $o)))
            (v128.store (local.get $p) (f64x2.add (v128.load (local.get $p))
              (f64x2.add (f64x2.mul (local.get $av) (v128.load (i32.add (local.get $x) (local.get $o))))
                (f64x2.mul (local.get $bv) (v128.load (i32.add (local.get $y) (local.get $o)))))))
            (local.set $i (i32.add (local.get $i) (i32.const 2)))
            (br $l)))
        (if (i32.lt_u (local.get $i) (local.get $n))
          (then
            (local.set $o (i32.shl (local.get $i) (i32.const 3)))
            (local.set $p (i32.add (local.get $dst) (local.get $o)))
            (f64.store (local.get $p) (f64.add (f64.load (local.get $p))
              (f64.add (f64.mul (local.get $a) (f64.load (i32.add (local.get $x) (local.get $o))))
                (f64.mul (local.get $b) (f64.load (i32.add (local.get $y) (local.get $o))))))))))
      (else
        (block $done
          (loop $l
            (br_if $done (i32.ge_u (local.get $i) (local.get $end2)))
            (local.set $o (i32.shl (local.get $i) (i32.const 3)))
            (local.set $p (i32.add (local.get $dst) (local.get $o)))
            (v128.store (local.get $p) (f64x2.add (v128.load (local.get $p))
              (f64x2.mul (local.get $av) (v128.load (i32.add (local.get $x) (local.get $o))))))
            (local.set $i (i32.add (local.get $i) (i32.const 2)))
            (br $l)))
        (if (i32.lt_u (local.get $i) (local.get $n))
          (then
            (local.set $o (i32.shl (local.get $i) (i32.const 3)))
            (local.set $p (i32.add (local.get $dst) (local.get $o)))
            (f64.store (local.get $p) (f64.add (f64.load (local.get $p))
              (f64.mul (local.get $a) (f64.load (i32.add (local.get $x) (local.get $o)))))))))))

  ;; The ziggurat's fast path of src/core/rng.ts (xoshiro128** + Marsaglia–Tsang, 128 layers) for out[i .. end):
;; state = five i32 at $state (a, b, c, d, rejected), tables = kn (128 f64) then wn (128 f64) at $tables. Writes
;; out[i] = scale · (hz · wn[iz]) while |hz| < kn[iz]; returns end, or the index of the first rejected draw (its hz
;; stored as `rejected` for the JavaScript slow path). The state is written back either way — the same stream as
;; Rng.fillNormal, bit for bit.
  (func (export "normals")
    (param $out i32) (param $start i32) (param $end i32) (param $scale f64) (param $state i32) (param $tables i32)
    (result i32)
    (local $a i32) (local $b i32) (local $c i32) (local $d i32) (local $r i32) (local $hz i32) (local $t i32)
    (local $iz i32) (local $i i32) (local $hzf f64)
    (local.set $a (i32.load (local.get $state)))
    (local.set $b (i32.load offset=4 (local.get $state)))
    (local.set $c (i32.load offset=8 (local.get $state)))
    (local.set $d (i32.load offset=12 (local.get $state)))
    (local.set $i (local.get $start))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $r (i32.mul (local.get $b) (i32.const 5)))
        (local.set $hz (i32.mul (i32.rotl (local.get $r) (i32.const 7)) (i32.const 9)))
        (local.set $t (i32.shl (local.get $b) (i32.const 9)))
        (local.set $c (i32.xor (local.get $c) (local.get $a)))
        (local.set $d (i32.xor (local.get $d) (local.get $b)))
        (local.set $b (i32.xor (local.get $b) (local.get $c)))
        (local.set $a (i32.xor (local.get $a) (local.get $d)))
        (local.set $c (i32.xor (local.get $c) (local.get $t)))
        (local.set $d (i32.rotl (local.get $d) (i32.const 11)))
        (local.set $iz (i32.shl (i32.and (local.get $hz) (i32.const 127)) (i32.const 3)))
        (local.set $hzf (f64.convert_i32_s (local.get $hz)))
        (if (i32.eqz (f64.lt (f64.abs (local.get $hzf)) (f64.load (i32.add (local.get $tables) (local.get $iz)))))
          (then
            (i32.store offset=16 (local.get $state) (local.get $hz))
            (br $done)))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3)))
          (f64.mul (local.get $scale)
            (f64.mul (local.get $hzf) (f64.load offset=1024 (i32.add (local.get $tables) (local.get $iz))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (i32.store (local.get $state) (local.get $a))
    (i32.store offset=4 (local.get $state) (local.get $b))
    (i32.store offset=8 (local.get $state) (local.get $c))
    (i32.store offset=12 (local.get $state) (local.get $d))
    (local.get $i))

  ;; dst[i] = (dst[i] + a·x[i]) + b·y[i], i < n: two of the spiked model's directions added in one pass over dst, each
;; element seeing the additions in the order of two axpy passes (the same bits).
  (func (export "axpy2")
    (param $dst i32) (param $x i32) (param $a f64) (param $y i32) (param $b f64) (param $n i32)
    (local $i i32) (local $end2 i32) (local $av v128) (local $bv v128) (local $p i32) (local $o i32)
    (local.set $end2 (i32.and (local.get $n) (i32.const -2)))
    (local.set $av (f64x2.splat (local.get $a)))
    (local.set $bv (f64x2.splat (local.get $b)))
    (local.set $i (i32.const 0))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $end2)))
        (local.set $o (i32.shl (local.get $i) (i32.const 3)))
        (local.set $p (i32.add (local.get $dst) (local.get $o)))
        (v128.store (local.get $p)
          (f64x2.add
            (f64x2.add (v128.load (local.get $p)) (f64x2.mul (local.get $av) (v128.load (i32.add (local.get $x) (local.get $o)))))
            (f64x2.mul (local.get $bv) (v128.load (i32.add (local.get $y) (local.get $o))))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $l)))
    (if (i32.lt_u (local.get $i) (local.get $n))
      (then
        (local.set $o (i32.shl (local.get $i) (i32.const 3)))
        (local.set $p (i32.add (local.get $dst) (local.get $o)))
        (f64.store (local.get $p)
          (f64.add
            (f64.add (f64.load (local.get $p)) (f64.mul (local.get $a) (f64.load (i32.add (local.get $x) (local.get $o)))))
            (f64.mul (local.get $b) (f64.load (i32.add (local.get $y) (local.get $o)))))))))
)
