;; The fused online-SGD step of src/sim/refinetti2022/onlineSgd.ts in WebAssembly with 128-bit SIMD (f64x2).
;;
;; Every pass performs exactly the floating-point operations of the JavaScript step, in the same order: the
;; encoder dot product keeps four partial sums (lanes of two f64x2 accumulators, summed as (s0 + s1) + (s2 + s3),
;; the tail added to s0), the decoder's w·r keeps two (even and odd indices, the tail added to the even one), and
;; WebAssembly has no fused multiply-add, just as V8 emits none. The two engines therefore agree bit for bit, which
;; properties/sgdEngines.property.ts checks.
;;
;; The sample's draws (the ziggurat of src/core/rng.ts, fast and slow paths, on the Rng's state copied into memory)
;; and the spiked model's mixing run here too, in the reference's order, so a step makes three calls into the module
;; (sample, encoder, decoder) around the K activations in JavaScript.
;;
;; Arguments are byte offsets into the exported memory (f64 arrays laid out by the caller) and sizes. The module
;; allocates nothing and keeps no state between calls. It imports the host's Math.exp and Math.log (module "math"),
;; which only the normal draws' slow path calls: log in the base strip's tail, exp only where the squeeze lines and the
;; module's own exp leave a comparison within 2^-30 of a tie (about never: see $belowDensity).
;;
;; Build: npx tsx src/kernels/wasm/build.ts (writes onlineSgdWasm.generated.ts; a test checks it is up to date).
(module
  (import "math" "exp" (func $exp (param f64) (result f64)))
  (import "math" "log" (func $log (param f64) (result f64)))
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
    ;; two untied units, both active: residual, coefficients and update in one pass
    (if (i32.and
          (i32.and (i32.eq (local.get $K) (i32.const 2)) (i32.eqz (local.get $tied)))
          (i32.and (f64.ne (f64.load (local.get $h)) (f64.const 0)) (f64.ne (f64.load offset=8 (local.get $h)) (f64.const 0))))
      (then
        (call $decoderPair (local.get $V) (local.get $x) (local.get $h) (local.get $r) (local.get $coef) (local.get $D)
          (local.get $etaD))
        (return)))
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
            ;; rows k .. k + 3, all active: r = (((r − V_k h_k) − V_{k+1} h_{k+1}) − …) in one pass over r
            (if (i32.lt_u (i32.add (local.get $k) (i32.const 3)) (local.get $K))
              (then
                (local.set $q (i32.add (local.get $h) (i32.shl (local.get $k) (i32.const 3))))
                (if (i32.and
                      (f64.ne (f64.load offset=8 (local.get $q)) (f64.const 0))
                      (i32.and (f64.ne (f64.load offset=16 (local.get $q)) (f64.const 0))
                        (f64.ne (f64.load offset=24 (local.get $q)) (f64.const 0))))
                  (then
                    (call $residualQuad (local.get $row) (local.get $rowBytes) (local.get $r) (local.get $q)
                      (local.get $D))
                    (local.set $k (i32.add (local.get $k) (i32.const 4)))
                    (br $kloop)))))
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
        (if (i32.lt_u (i32.add (local.get $k) (i32.const 3)) (local.get $K))
          (then
            (call $coefQuad (local.get $row) (local.get $rowBytes) (local.get $r)
              (i32.add (local.get $h) (i32.shl (local.get $k) (i32.const 3)))
              (i32.add (local.get $coef) (i32.shl (local.get $k) (i32.const 3)))
              (local.get $etaD) (local.get $end2) (local.get $D) (local.get $tied))
            (local.set $k (i32.add (local.get $k) (i32.const 4)))
            (br $kloop)))
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

;; decoderVanilla for K = 2, untied, h[0] ≠ 0 and h[1] ≠ 0, in one pass over V instead of two: each r[i] =
  ;; (x[i] − V_0[i] h_0) − V_1[i] h_1 is formed where it is used, then c_k += V_k[i] r[i] and
  ;; V_k[i] += (etaD h_k) r[i] — every element sees the operations of the separate passes in their order. Only the odd
  ;; tail's r[i] is stored ($finishCoef reads it): an untied step reads r nowhere else, and the stores were a sixth of
  ;; this pass's memory operations.
  (func $decoderPair
    (param $V i32) (param $x i32) (param $h i32) (param $r i32) (param $coef i32) (param $D i32) (param $etaD f64)
    (local $i i32) (local $o i32) (local $end2 i32) (local $V1 i32) (local $p i32) (local $q i32)
    (local $h0 f64) (local $h1 f64) (local $a0 f64) (local $a1 f64)
    (local $h0v v128) (local $h1v v128) (local $a0v v128) (local $a1v v128)
    (local $v0 v128) (local $v1 v128) (local $rr v128) (local $acc0 v128) (local $acc1 v128)
    (local.set $end2 (i32.and (local.get $D) (i32.const -2)))
    (local.set $V1 (i32.add (local.get $V) (i32.shl (local.get $D) (i32.const 3))))
    (local.set $h0 (f64.load (local.get $h)))
    (local.set $h1 (f64.load offset=8 (local.get $h)))
    (local.set $a0 (f64.mul (local.get $etaD) (local.get $h0)))
    (local.set $a1 (f64.mul (local.get $etaD) (local.get $h1)))
    (local.set $h0v (f64x2.splat (local.get $h0)))
    (local.set $h1v (f64x2.splat (local.get $h1)))
    (local.set $a0v (f64x2.splat (local.get $a0)))
    (local.set $a1v (f64x2.splat (local.get $a1)))
    ;; four elements per pass, then two (r itself is not stored: nothing reads it after this pass, the odd tail's
    ;; element aside, which is stored below)
    (block $done
      (loop $l
        (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $end2)))
        (local.set $o (i32.shl (local.get $i) (i32.const 3)))
        (local.set $p (i32.add (local.get $V) (local.get $o)))
        (local.set $q (i32.add (local.get $V1) (local.get $o)))
        (local.set $v0 (v128.load (local.get $p)))
        (local.set $v1 (v128.load (local.get $q)))
        (local.set $rr (f64x2.sub
          (f64x2.sub (v128.load (i32.add (local.get $x) (local.get $o))) (f64x2.mul (local.get $v0) (local.get $h0v)))
          (f64x2.mul (local.get $v1) (local.get $h1v))))
        (local.set $acc0 (f64x2.add (local.get $acc0) (f64x2.mul (local.get $v0) (local.get $rr))))
        (v128.store (local.get $p) (f64x2.add (local.get $v0) (f64x2.mul (local.get $a0v) (local.get $rr))))
        (local.set $acc1 (f64x2.add (local.get $acc1) (f64x2.mul (local.get $v1) (local.get $rr))))
        (v128.store (local.get $q) (f64x2.add (local.get $v1) (f64x2.mul (local.get $a1v) (local.get $rr))))
        (local.set $v0 (v128.load offset=16 (local.get $p)))
        (local.set $v1 (v128.load offset=16 (local.get $q)))
        (local.set $rr (f64x2.sub
          (f64x2.sub (v128.load offset=16 (i32.add (local.get $x) (local.get $o))) (f64x2.mul (local.get $v0) (local.get $h0v)))
          (f64x2.mul (local.get $v1) (local.get $h1v))))
        (local.set $acc0 (f64x2.add (local.get $acc0) (f64x2.mul (local.get $v0) (local.get $rr))))
        (v128.store offset=16 (local.get $p) (f64x2.add (local.get $v0) (f64x2.mul (local.get $a0v) (local.get $rr))))
        (local.set $acc1 (f64x2.add (local.get $acc1) (f64x2.mul (local.get $v1) (local.get $rr))))
        (v128.store offset=16 (local.get $q) (f64x2.add (local.get $v1) (f64x2.mul (local.get $a1v) (local.get $rr))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $l)))
    (if (i32.lt_u (local.get $i) (local.get $end2))
      (then
        (local.set $o (i32.shl (local.get $i) (i32.const 3)))
        (local.set $p (i32.add (local.get $V) (local.get $o)))
        (local.set $q (i32.add (local.get $V1) (local.get $o)))
        (local.set $v0 (v128.load (local.get $p)))
        (local.set $v1 (v128.load (local.get $q)))
        (local.set $rr (f64x2.sub
          (f64x2.sub (v128.load (i32.add (local.get $x) (local.get $o))) (f64x2.mul (local.get $v0) (local.get $h0v)))
          (f64x2.mul (local.get $v1) (local.get $h1v))))
        (local.set $acc0 (f64x2.add (local.get $acc0) (f64x2.mul (local.get $v0) (local.get $rr))))
        (v128.store (local.get $p) (f64x2.add (local.get $v0) (f64x2.mul (local.get $a0v) (local.get $rr))))
        (local.set $acc1 (f64x2.add (local.get $acc1) (f64x2.mul (local.get $v1) (local.get $rr))))
        (v128.store (local.get $q) (f64x2.add (local.get $v1) (f64x2.mul (local.get $a1v) (local.get $rr))))))
    (if (i32.lt_u (local.get $end2) (local.get $D))
      (then
        (local.set $o (i32.shl (local.get $end2) (i32.const 3)))
        (f64.store (i32.add (local.get $r) (local.get $o))
          (f64.sub
            (f64.sub (f64.load (i32.add (local.get $x) (local.get $o)))
              (f64.mul (f64.load (i32.add (local.get $V) (local.get $o))) (local.get $h0)))
            (f64.mul (f64.load (i32.add (local.get $V1) (local.get $o))) (local.get $h1))))))
    (f64.store (local.get $coef)
      (call $finishCoef (local.get $V) (local.get $r) (local.get $end2) (local.get $D) (local.get $a0) (i32.const 0)
        (local.get $acc0)))
    (f64.store offset=8 (local.get $coef)
      (call $finishCoef (local.get $V1) (local.get $r) (local.get $end2) (local.get $D) (local.get $a1) (i32.const 0)
        (local.get $acc1))))

  ;; coef[j] = V_j · r and (unless tied) V_j += (etaD h[j]) r for four consecutive rows j of V starting at $row, in one
  ;; pass over r: four independent accumulators (each row's two lanes summed as in a pass of its own), so the adds do
  ;; not wait on one another. $h and $coef point at the first row's entries.
  (func $coefQuad
    (param $row i32) (param $rowBytes i32) (param $r i32) (param $h i32) (param $coef i32) (param $etaD f64)
    (param $end2 i32) (param $D i32) (param $tied i32)
    (local $i i32) (local $o i32) (local $p i32) (local $rr v128) (local $v v128)
    (local $a0 f64) (local $a1 f64) (local $a2 f64) (local $a3 f64)
    (local $av0 v128) (local $av1 v128) (local $av2 v128) (local $av3 v128)
    (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)
    (local $r1 i32) (local $r2 i32) (local $r3 i32)
    (local.set $r1 (i32.add (local.get $row) (local.get $rowBytes)))
    (local.set $r2 (i32.add (local.get $r1) (local.get $rowBytes)))
    (local.set $r3 (i32.add (local.get $r2) (local.get $rowBytes)))
    (local.set $a0 (f64.mul (local.get $etaD) (f64.load (local.get $h))))
    (local.set $a1 (f64.mul (local.get $etaD) (f64.load offset=8 (local.get $h))))
    (local.set $a2 (f64.mul (local.get $etaD) (f64.load offset=16 (local.get $h))))
    (local.set $a3 (f64.mul (local.get $etaD) (f64.load offset=24 (local.get $h))))
    (local.set $av0 (f64x2.splat (local.get $a0)))
    (local.set $av1 (f64x2.splat (local.get $a1)))
    (local.set $av2 (f64x2.splat (local.get $a2)))
    (local.set $av3 (f64x2.splat (local.get $a3)))
    (local.set $i (i32.const 0))
    (if (local.get $tied)
      (then
        ;; four elements per pass, then two
        (block $done
          (loop $l
            (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $end2)))
            (local.set $o (i32.shl (local.get $i) (i32.const 3)))
            (local.set $rr (v128.load (i32.add (local.get $r) (local.get $o))))
            (local.set $acc0 (f64x2.add (local.get $acc0)
              (f64x2.mul (v128.load (i32.add (local.get $row) (local.get $o))) (local.get $rr))))
            (local.set $acc1 (f64x2.add (local.get $acc1)
              (f64x2.mul (v128.load (i32.add (local.get $r1) (local.get $o))) (local.get $rr))))
            (local.set $acc2 (f64x2.add (local.get $acc2)
              (f64x2.mul (v128.load (i32.add (local.get $r2) (local.get $o))) (local.get $rr))))
            (local.set $acc3 (f64x2.add (local.get $acc3)
              (f64x2.mul (v128.load (i32.add (local.get $r3) (local.get $o))) (local.get $rr))))
            (local.set $rr (v128.load offset=16 (i32.add (local.get $r) (local.get $o))))
            (local.set $acc0 (f64x2.add (local.get $acc0)
              (f64x2.mul (v128.load offset=16 (i32.add (local.get $row) (local.get $o))) (local.get $rr))))
            (local.set $acc1 (f64x2.add (local.get $acc1)
              (f64x2.mul (v128.load offset=16 (i32.add (local.get $r1) (local.get $o))) (local.get $rr))))
            (local.set $acc2 (f64x2.add (local.get $acc2)
              (f64x2.mul (v128.load offset=16 (i32.add (local.get $r2) (local.get $o))) (local.get $rr))))
            (local.set $acc3 (f64x2.add (local.get $acc3)
              (f64x2.mul (v128.load offset=16 (i32.add (local.get $r3) (local.get $o))) (local.get $rr))))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $l)))
        (if (i32.lt_u (local.get $i) (local.get $end2))
          (then
            (local.set $o (i32.shl (local.get $i) (i32.const 3)))
            (local.set $rr (v128.load (i32.add (local.get $r) (local.get $o))))
            (local.set $acc0 (f64x2.add (local.get $acc0)
              (f64x2.mul (v128.load (i32.add (local.get $row) (local.get $o))) (local.get $rr))))
            (local.set $acc1 (f64x2.add (local.get $acc1)
              (f64x2.mul (v128.load (i32.add (local.get $r1) (local.get $o))) (local.get $rr))))
            (local.set $acc2 (f64x2.add (local.get $acc2)
              (f64x2.mul (v128.load (i32.add (local.get $r2) (local.get $o))) (local.get $rr))))
            (local.set $acc3 (f64x2.add (local.get $acc3)
              (f64x2.mul (v128.load (i32.add (local.get $r3) (local.get $o))) (local.get $rr))))
            (local.set $i (i32.add (local.get $i) (i32.const 2))))))
      (else
        ;; four elements per pass, then two
        (block $done
          (loop $l
            (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $end2)))
            (local.set $o (i32.shl (local.get $i) (i32.const 3)))
            (local.set $rr (v128.load (i32.add (local.get $r) (local.get $o))))
            (local.set $p (i32.add (local.get $row) (local.get $o)))
            (local.set $v (v128.load (local.get $p)))
            (local.set $acc0 (f64x2.add (local.get $acc0) (f64x2.mul (local.get $v) (local.get $rr))))
            (v128.store (local.get $p) (f64x2.add (local.get $v) (f64x2.mul (local.get $av0) (local.get $rr))))
            (local.set $p (i32.add (local.get $r1) (local.get $o)))
            (local.set $v (v128.load (local.get $p)))
            (local.set $acc1 (f64x2.add (local.get $acc1) (f64x2.mul (local.get $v) (local.get $rr))))
            (v128.store (local.get $p) (f64x2.add (local.get $v) (f64x2.mul (local.get $av1) (local.get $rr))))
            (local.set $p (i32.add (local.get $r2) (local.get $o)))
            (local.set $v (v128.load (local.get $p)))
            (local.set $acc2 (f64x2.add (local.get $acc2) (f64x2.mul (local.get $v) (local.get $rr))))
            (v128.store (local.get $p) (f64x2.add (local.get $v) (f64x2.mul (local.get $av2) (local.get $rr))))
            (local.set $p (i32.add (local.get $r3) (local.get $o)))
            (local.set $v (v128.load (local.get $p)))
            (local.set $acc3 (f64x2.add (local.get $acc3) (f64x2.mul (local.get $v) (local.get $rr))))
            (v128.store (local.get $p) (f64x2.add (local.get $v) (f64x2.mul (local.get $av3) (local.get $rr))))
            (local.set $rr (v128.load offset=16 (i32.add (local.get $r) (local.get $o))))
            (local.set $p (i32.add (local.get $row) (local.get $o)))
            (local.set $v (v128.load offset=16 (local.get $p)))
            (local.set $acc0 (f64x2.add (local.get $acc0) (f64x2.mul (local.get $v) (local.get $rr))))
            (v128.store offset=16 (local.get $p) (f64x2.add (local.get $v) (f64x2.mul (local.get $av0) (local.get $rr))))
            (local.set $p (i32.add (local.get $r1) (local.get $o)))
            (local.set $v (v128.load offset=16 (local.get $p)))
            (local.set $acc1 (f64x2.add (local.get $acc1) (f64x2.mul (local.get $v) (local.get $rr))))
            (v128.store offset=16 (local.get $p) (f64x2.add (local.get $v) (f64x2.mul (local.get $av1) (local.get $rr))))
            (local.set $p (i32.add (local.get $r2) (local.get $o)))
            (local.set $v (v128.load offset=16 (local.get $p)))
            (local.set $acc2 (f64x2.add (local.get $acc2) (f64x2.mul (local.get $v) (local.get $rr))))
            (v128.store offset=16 (local.get $p) (f64x2.add (local.get $v) (f64x2.mul (local.get $av2) (local.get $rr))))
            (local.set $p (i32.add (local.get $r3) (local.get $o)))
            (local.set $v (v128.load offset=16 (local.get $p)))
            (local.set $acc3 (f64x2.add (local.get $acc3) (f64x2.mul (local.get $v) (local.get $rr))))
            (v128.store offset=16 (local.get $p) (f64x2.add (local.get $v) (f64x2.mul (local.get $av3) (local.get $rr))))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $l)))
        (if (i32.lt_u (local.get $i) (local.get $end2))
          (then
            (local.set $o (i32.shl (local.get $i) (i32.const 3)))
            (local.set $rr (v128.load (i32.add (local.get $r) (local.get $o))))
            (local.set $p (i32.add (local.get $row) (local.get $o)))
            (local.set $v (v128.load (local.get $p)))
            (local.set $acc0 (f64x2.add (local.get $acc0) (f64x2.mul (local.get $v) (local.get $rr))))
            (v128.store (local.get $p) (f64x2.add (local.get $v) (f64x2.mul (local.get $av0) (local.get $rr))))
            (local.set $p (i32.add (local.get $r1) (local.get $o)))
            (local.set $v (v128.load (local.get $p)))
            (local.set $acc1 (f64x2.add (local.get $acc1) (f64x2.mul (local.get $v) (local.get $rr))))
            (v128.store (local.get $p) (f64x2.add (local.get $v) (f64x2.mul (local.get $av1) (local.get $rr))))
            (local.set $p (i32.add (local.get $r2) (local.get $o)))
            (local.set $v (v128.load (local.get $p)))
            (local.set $acc2 (f64x2.add (local.get $acc2) (f64x2.mul (local.get $v) (local.get $rr))))
            (v128.store (local.get $p) (f64x2.add (local.get $v) (f64x2.mul (local.get $av2) (local.get $rr))))
            (local.set $p (i32.add (local.get $r3) (local.get $o)))
            (local.set $v (v128.load (local.get $p)))
            (local.set $acc3 (f64x2.add (local.get $acc3) (f64x2.mul (local.get $v) (local.get $rr))))
            (v128.store (local.get $p) (f64x2.add (local.get $v) (f64x2.mul (local.get $av3) (local.get $rr))))
            (local.set $i (i32.add (local.get $i) (i32.const 2)))))))
    (f64.store (local.get $coef)
      (call $finishCoef (local.get $row) (local.get $r) (local.get $end2) (local.get $D) (local.get $a0)
        (local.get $tied) (local.get $acc0)))
    (f64.store offset=8 (local.get $coef)
      (call $finishCoef (local.get $r1) (local.get $r) (local.get $end2) (local.get $D) (local.get $a1)
        (local.get $tied) (local.get $acc1)))
    (f64.store offset=16 (local.get $coef)
      (call $finishCoef (local.get $r2) (local.get $r) (local.get $end2) (local.get $D) (local.get $a2)
        (local.get $tied) (local.get $acc2)))
    (f64.store offset=24 (local.get $coef)
      (call $finishCoef (local.get $r3) (local.get $r) (local.get $end2) (local.get $D) (local.get $a3)
        (local.get $tied) (local.get $acc3))))

;; r[i] = (((r[i] − V_0[i] h_0) − V_1[i] h_1) − V_2[i] h_2) − V_3[i] h_3 for i < D: four consecutive rows of V
  ;; (from $row, $rowBytes apart; h_j at $h + 8j) in one pass over r, each element in the order of four passes.
  (func $residualQuad (param $row i32) (param $rowBytes i32) (param $r i32) (param $h i32) (param $D i32)
    (local $i i32) (local $o i32) (local $q i32) (local $end2 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32)
    (local $h0 v128) (local $h1 v128) (local $h2 v128) (local $h3 v128)
    (local.set $end2 (i32.and (local.get $D) (i32.const -2)))
    (local.set $r1 (i32.add (local.get $row) (local.get $rowBytes)))
    (local.set $r2 (i32.add (local.get $r1) (local.get $rowBytes)))
    (local.set $r3 (i32.add (local.get $r2) (local.get $rowBytes)))
    (local.set $h0 (v128.load64_splat (local.get $h)))
    (local.set $h1 (v128.load64_splat offset=8 (local.get $h)))
    (local.set $h2 (v128.load64_splat offset=16 (local.get $h)))
    (local.set $h3 (v128.load64_splat offset=24 (local.get $h)))
    ;; four elements per pass, then two
    (block $done
      (loop $l
        (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $end2)))
        (local.set $o (i32.shl (local.get $i) (i32.const 3)))
        (local.set $q (i32.add (local.get $r) (local.get $o)))
        (v128.store (local.get $q)
          (f64x2.sub
            (f64x2.sub
              (f64x2.sub
                (f64x2.sub (v128.load (local.get $q))
                  (f64x2.mul (v128.load (i32.add (local.get $row) (local.get $o))) (local.get $h0)))
                (f64x2.mul (v128.load (i32.add (local.get $r1) (local.get $o))) (local.get $h1)))
              (f64x2.mul (v128.load (i32.add (local.get $r2) (local.get $o))) (local.get $h2)))
            (f64x2.mul (v128.load (i32.add (local.get $r3) (local.get $o))) (local.get $h3))))
        (local.set $q (i32.add (local.get $r) (local.get $o)))
        (v128.store offset=16 (local.get $q)
          (f64x2.sub
            (f64x2.sub
              (f64x2.sub
                (f64x2.sub (v128.load offset=16 (local.get $q))
                  (f64x2.mul (v128.load offset=16 (i32.add (local.get $row) (local.get $o))) (local.get $h0)))
                (f64x2.mul (v128.load offset=16 (i32.add (local.get $r1) (local.get $o))) (local.get $h1)))
              (f64x2.mul (v128.load offset=16 (i32.add (local.get $r2) (local.get $o))) (local.get $h2)))
            (f64x2.mul (v128.load offset=16 (i32.add (local.get $r3) (local.get $o))) (local.get $h3))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $l)))
    (if (i32.lt_u (local.get $i) (local.get $end2))
      (then
        (local.set $o (i32.shl (local.get $i) (i32.const 3)))
        (local.set $q (i32.add (local.get $r) (local.get $o)))
        (v128.store (local.get $q)
          (f64x2.sub
            (f64x2.sub
              (f64x2.sub
                (f64x2.sub (v128.load (local.get $q))
                  (f64x2.mul (v128.load (i32.add (local.get $row) (local.get $o))) (local.get $h0)))
                (f64x2.mul (v128.load (i32.add (local.get $r1) (local.get $o))) (local.get $h1)))
              (f64x2.mul (v128.load (i32.add (local.get $r2) (local.get $o))) (local.get $h2)))
            (f64x2.mul (v128.load (i32.add (local.get $r3) (local.get $o))) (local.get $h3))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))))
    (if (i32.lt_u (local.get $end2) (local.get $D))
      (then
        (local.set $o (i32.shl (local.get $end2) (i32.const 3)))
        (local.set $q (i32.add (local.get $r) (local.get $o)))
        (f64.store (local.get $q)
          (f64.sub
            (f64.sub
              (f64.sub
                (f64.sub (f64.load (local.get $q))
                  (f64.mul (f64.load (i32.add (local.get $row) (local.get $o))) (f64.load (local.get $h))))
                (f64.mul (f64.load (i32.add (local.get $r1) (local.get $o))) (f64.load offset=8 (local.get $h))))
              (f64.mul (f64.load (i32.add (local.get $r2) (local.get $o))) (f64.load offset=16 (local.get $h))))
            (f64.mul (f64.load (i32.add (local.get $r3) (local.get $o))) (f64.load offset=24 (local.get $h))))))))

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
  (func $axpy (export "axpy")
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

;; Normal draws: the ziggurat of src/core/rng.ts (xoshiro128** + Marsaglia–Tsang, 128 layers), fast and slow paths,
  ;; the same stream as Rng.fillNormal bit for bit. Fixed addresses (a pointer held in a register through the fast
  ;; loop made V8 spill the generator's state to the stack, which put a store and a reload on its dependency chain):
  ;; the state, four i32 (a, b, c, d), at byte 0, and a rejected draw at byte 16; the tables from byte 32: one 16-byte
  ;; record per layer iz at 32 + 16·iz — A = kn[iz] − 1 and B = 2·kn[iz] − 1 as u32 (A = B = 0 where kn[iz] = 0),
  ;; then wn[iz] as f64 — fn (128 f64) at byte 2080, and the squeeze lines (4 f64 per layer) at byte 3104. The fast
  ;; path accepts hz iff (hz + A) < B unsigned, which is |hz| < kn[iz] (the thresholds are integers in [0, 2^31), so
  ;; hz ↦ hz + A maps the accepted −kn < hz < kn onto [0, 2·kn − 1) and everything else outside it): one add and one
  ;; comparison, and one address for the layer. The slow path's log is the host's Math.log (imported), so its values
  ;; are JavaScript's; its comparisons with e^{−x²/2} come out as with the host's Math.exp (see $belowDensity).

  ;; The generator's next 32-bit output, the state in memory (the slow path's draws).
  (func $uint32 (result i32)
    (local $a i32) (local $b i32) (local $c i32) (local $d i32) (local $t i32) (local $out i32)
    (local.set $a (i32.load (i32.const 0)))
    (local.set $b (i32.load offset=4 (i32.const 0)))
    (local.set $c (i32.load offset=8 (i32.const 0)))
    (local.set $d (i32.load offset=12 (i32.const 0)))
    (local.set $out (i32.mul (i32.rotl (i32.mul (local.get $b) (i32.const 5)) (i32.const 7)) (i32.const 9)))
    (local.set $t (i32.shl (local.get $b) (i32.const 9)))
    (local.set $c (i32.xor (local.get $c) (local.get $a)))
    (local.set $d (i32.xor (local.get $d) (local.get $b)))
    (local.set $b (i32.xor (local.get $b) (local.get $c)))
    (local.set $a (i32.xor (local.get $a) (local.get $d)))
    (local.set $c (i32.xor (local.get $c) (local.get $t)))
    (local.set $d (i32.rotl (local.get $d) (i32.const 11)))
    (i32.store (i32.const 0) (local.get $a))
    (i32.store offset=4 (i32.const 0) (local.get $b))
    (i32.store offset=8 (i32.const 0) (local.get $c))
    (i32.store offset=12 (i32.const 0) (local.get $d))
    (local.get $out))

  ;; Rng.uniform: (hi·2^26 + lo) / 2^53 from two outputs (hi first), every operation exact.
  (func $uniform (result f64)
    (local $hi f64)
    (local.set $hi (f64.convert_i32_u (i32.shr_u (call $uint32) (i32.const 5))))
    (f64.div
      (f64.add (f64.mul (local.get $hi) (f64.const 67108864))
        (f64.convert_i32_u (i32.shr_u (call $uint32) (i32.const 6))))
      (f64.const 9007199254740992)))

;; exp(t) for −708 ≤ t ≤ 709, to within a few units in the last place: t = k·ln 2 + r with |r| ≤ ln 2 / 2 (Cody and
  ;; Waite's split of ln 2, as fdlibm's exp has it, so k·ln2hi is exact), e^r by its Taylor polynomial to degree 13
  ;; (the remainder is below 2^-57 of e^r), times 2^k built from its bits. Not the host's exp bit for bit: $belowExp
  ;; uses it only where it cannot change a comparison.
  (func $expNear (export "expNear") (param $t f64) (result f64)
    (local $k f64) (local $r f64) (local $r2 f64) (local $r4 f64) (local $r8 f64)
    (local.set $k (f64.nearest (f64.mul (local.get $t) (f64.const 1.4426950408889634))))
    (local.set $r (f64.sub
      (f64.sub (local.get $t) (f64.mul (local.get $k) (f64.const 6.93147180369123816490e-01)))
      (f64.mul (local.get $k) (f64.const 1.90821492927058770002e-10))))
    (local.set $r2 (f64.mul (local.get $r) (local.get $r)))
    (local.set $r4 (f64.mul (local.get $r2) (local.get $r2)))
    (local.set $r8 (f64.mul (local.get $r4) (local.get $r4)))
    ;; Estrin's scheme (the coefficients 1/n! in pairs, the pairs by r², r⁴, r⁸): a dependency chain of about 30
    ;; cycles where Horner's rule takes about a hundred
    (f64.mul
      (f64.add
        (f64.add
          (f64.add
            (f64.add (f64.const 1) (local.get $r))
            (f64.mul (local.get $r2) (f64.add (f64.const 0.5) (f64.mul (local.get $r) (f64.const 1.6666666666666666e-01)))))
          (f64.mul (local.get $r4)
            (f64.add
              (f64.add (f64.const 4.1666666666666664e-02) (f64.mul (local.get $r) (f64.const 8.333333333333333e-03)))
              (f64.mul (local.get $r2)
                (f64.add (f64.const 1.388888888888889e-03) (f64.mul (local.get $r) (f64.const 1.984126984126984e-04)))))))
        (f64.mul (local.get $r8)
          (f64.add
            (f64.add
              (f64.add (f64.const 2.48015873015873e-05) (f64.mul (local.get $r) (f64.const 2.7557319223985893e-06)))
              (f64.mul (local.get $r2)
                (f64.add (f64.const 2.755731922398589e-07) (f64.mul (local.get $r) (f64.const 2.505210838544172e-08)))))
            (f64.mul (local.get $r4)
              (f64.add (f64.const 2.08767569878681e-09) (f64.mul (local.get $r) (f64.const 1.6059043836821613e-10)))))))
      (f64.reinterpret_i64 (i64.shl (i64.add (i64.trunc_f64_s (local.get $k)) (i64.const 1023)) (i64.const 52)))))

  ;; lhs < exp(t) with exp the host's Math.exp, as the reference's slow path compares: decided from $expNear where lhs
  ;; lies more than 2^-30 of it away (the two exps differ by a few units in the last place, about 2^-50 of the value,
  ;; so no comparison can come out otherwise there), and from the host's exp otherwise. Before, every comparison called
  ;; the host (about 27 per 1000 draws), and those calls were more than half of a draw's time.
  (func $belowExp (export "belowExp") (param $lhs f64) (param $t f64) (result i32)
    (local $e f64) (local $m f64)
    (if (i32.and (f64.ge (local.get $t) (f64.const -708)) (f64.le (local.get $t) (f64.const 709)))
      (then
        (local.set $e (call $expNear (local.get $t)))
        (local.set $m (f64.mul (local.get $e) (f64.const 9.313225746154785e-10)))
        (if (f64.lt (local.get $lhs) (f64.sub (local.get $e) (local.get $m))) (then (return (i32.const 1))))
        (if (f64.gt (local.get $lhs) (f64.add (local.get $e) (local.get $m))) (then (return (i32.const 0))))))
    (f64.lt (local.get $lhs) (call $exp (local.get $t))))

;; lhs < Math.exp(−x²/2) for a draw x the fast path rejected in layer iz ≥ 1, as the reference compares: first against
  ;; the layer's two lines (a 32-byte record at byte 3104 + 32·iz: slope and intercept of a line below the density, then
  ;; of one above it, both in |x| over the layer's range of rejected draws, moved apart by a margin far larger than any
  ;; rounding; see writeZigguratTables), which settle most comparisons with two multiply-adds; between the lines,
  ;; $belowExp. $normalsFast makes the same two comparisons inline (a call there would spill the generator's state):
  ;; a change to one is a change to both.
  (func $belowDensity (param $lhs f64) (param $x f64) (param $iz i32) (result i32)
    (local $ax f64) (local $rec i32)
    (local.set $ax (f64.abs (local.get $x)))
    (local.set $rec (i32.shl (local.get $iz) (i32.const 5)))
    (if (f64.lt (local.get $lhs)
          (f64.add (f64.mul (local.get $ax) (f64.load offset=3104 (local.get $rec))) (f64.load offset=3112 (local.get $rec))))
      (then (return (i32.const 1))))
    (if (f64.gt (local.get $lhs)
          (f64.add (f64.mul (local.get $ax) (f64.load offset=3120 (local.get $rec))) (f64.load offset=3128 (local.get $rec))))
      (then (return (i32.const 0))))
    (call $belowExp (local.get $lhs) (f64.mul (f64.mul (f64.const -0.5) (local.get $x)) (local.get $x))))

;; Whether the fast path accepts hz: |hz| < kn[hz & 127] (see above).
  (func $accept (param $hz i32) (result i32)
    (local $rec i32)
    (local.set $rec (i32.and (i32.shl (local.get $hz) (i32.const 4)) (i32.const 2032)))
    (i32.lt_u (i32.add (local.get $hz) (i32.load offset=32 (local.get $rec))) (i32.load offset=36 (local.get $rec))))

  ;; Rng.normalSlow: the slow path after the fast path rejected the draw $hz (its operations in its order).
  (func $normalSlow (param $hz i32) (result f64)
    (local $iz i32) (local $x f64) (local $y f64) (local $f f64)
    (loop $again
      (local.set $iz (i32.and (local.get $hz) (i32.const 127)))
      (if (i32.eqz (local.get $iz))
        (then
          ;; the base strip's tail beyond R
          (loop $tail
            (local.set $x (f64.div
              (f64.neg (call $log (f64.sub (f64.const 1) (call $uniform))))
              (f64.const 3.442619855899)))
            (local.set $y (f64.neg (call $log (f64.sub (f64.const 1) (call $uniform)))))
            (br_if $tail (f64.lt (f64.add (local.get $y) (local.get $y)) (f64.mul (local.get $x) (local.get $x)))))
          (return (select
            (f64.add (f64.const 3.442619855899) (local.get $x))
            (f64.sub (f64.const -3.442619855899) (local.get $x))
            (i32.gt_s (local.get $hz) (i32.const 0))))))
      (local.set $x (f64.mul (f64.convert_i32_s (local.get $hz))
        (f64.load offset=40 (i32.shl (local.get $iz) (i32.const 4)))))
      (local.set $f (f64.load offset=2080 (i32.shl (local.get $iz) (i32.const 3))))
      (if (call $belowDensity
            (f64.add (local.get $f) (f64.mul (call $uniform)
              (f64.sub (f64.load offset=2072 (i32.shl (local.get $iz) (i32.const 3)))
                (local.get $f))))
            (local.get $x) (local.get $iz))
        (then (return (local.get $x))))
      (local.set $hz (call $uint32))
      (if (call $accept (local.get $hz))
        (then (return (f64.mul (f64.convert_i32_s (local.get $hz))
          (f64.load offset=40 (i32.and (i32.shl (local.get $hz) (i32.const 4)) (i32.const 2032)))))))
      (br $again))
    (unreachable))

;; The draws for out[p .. end) (byte addresses), the state in locals: the fast path, and inline the slow path's
  ;; common case — a rejected draw in a layer iz ≥ 1 whose comparison u < e^{−x²/2} the layer's squeeze lines settle
  ;; (Rng.normalSlow's operations and draws, in its order: x = hz·wn[iz], one uniform, the comparison; on acceptance x,
  ;; on rejection the next draw, which is the fast path's next draw for the same output). Stops at a draw it cannot
  ;; finish and returns its address (or end): with the rejected hz at byte 16 and 0 at byte 20 for the base strip
  ;; (layer 0), with 1 at byte 20 and u's side of the comparison (f64) at byte 24 when it falls between the lines.
  ;; Kept free of calls, so that the loop keeps the state in registers; leaving it and coming back cost about 16 ns, a
  ;; third of a slow draw, when every rejection left it.
  (func $normalsFast (param $p i32) (param $end i32) (param $scale f64) (result i32)
    (local $a i32) (local $b i32) (local $c i32) (local $d i32) (local $hz i32) (local $t i32) (local $rec i32)
    (local $hi i32) (local $lo i32) (local $x f64) (local $lhs f64) (local $f f64)
    (local.set $a (i32.load (i32.const 0)))
    (local.set $b (i32.load offset=4 (i32.const 0)))
    (local.set $c (i32.load offset=8 (i32.const 0)))
    (local.set $d (i32.load offset=12 (i32.const 0)))
    ;; the bound is read from memory in the loop (byte 20): one register fewer, which the loop needs to keep the
    ;; state out of the stack
    (i32.store offset=20 (i32.const 0) (local.get $end))
    (block $done
      (loop $l
        (block $slow
        (br_if $done (i32.ge_u (local.get $p) (i32.load offset=20 (i32.const 0))))
        (local.set $hz (i32.mul (i32.rotl (i32.mul (local.get $b) (i32.const 5)) (i32.const 7)) (i32.const 9)))
        (local.set $t (i32.shl (local.get $b) (i32.const 9)))
        (local.set $c (i32.xor (local.get $c) (local.get $a)))
        (local.set $d (i32.xor (local.get $d) (local.get $b)))
        (local.set $b (i32.xor (local.get $b) (local.get $c)))
        (local.set $a (i32.xor (local.get $a) (local.get $d)))
        (local.set $c (i32.xor (local.get $c) (local.get $t)))
        (local.set $d (i32.rotl (local.get $d) (i32.const 11)))
        (local.set $rec (i32.and (i32.shl (local.get $hz) (i32.const 4)) (i32.const 2032)))
        (br_if $slow
          (i32.ge_u (i32.add (local.get $hz) (i32.load offset=32 (local.get $rec))) (i32.load offset=36 (local.get $rec))))
        (f64.store (local.get $p)
          (f64.mul (local.get $scale) (f64.mul (f64.convert_i32_s (local.get $hz)) (f64.load offset=40 (local.get $rec)))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        ;; unrolled four times: the loop's bookkeeping (V8's stack check, the moves of the state between registers and
        ;; the one value spilled to the stack) once per four draws — 15% faster than one draw per iteration
        (br_if $done (i32.ge_u (local.get $p) (i32.load offset=20 (i32.const 0))))
        (local.set $hz (i32.mul (i32.rotl (i32.mul (local.get $b) (i32.const 5)) (i32.const 7)) (i32.const 9)))
        (local.set $t (i32.shl (local.get $b) (i32.const 9)))
        (local.set $c (i32.xor (local.get $c) (local.get $a)))
        (local.set $d (i32.xor (local.get $d) (local.get $b)))
        (local.set $b (i32.xor (local.get $b) (local.get $c)))
        (local.set $a (i32.xor (local.get $a) (local.get $d)))
        (local.set $c (i32.xor (local.get $c) (local.get $t)))
        (local.set $d (i32.rotl (local.get $d) (i32.const 11)))
        (local.set $rec (i32.and (i32.shl (local.get $hz) (i32.const 4)) (i32.const 2032)))
        (br_if $slow
          (i32.ge_u (i32.add (local.get $hz) (i32.load offset=32 (local.get $rec))) (i32.load offset=36 (local.get $rec))))
        (f64.store (local.get $p)
          (f64.mul (local.get $scale) (f64.mul (f64.convert_i32_s (local.get $hz)) (f64.load offset=40 (local.get $rec)))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br_if $done (i32.ge_u (local.get $p) (i32.load offset=20 (i32.const 0))))
        (local.set $hz (i32.mul (i32.rotl (i32.mul (local.get $b) (i32.const 5)) (i32.const 7)) (i32.const 9)))
        (local.set $t (i32.shl (local.get $b) (i32.const 9)))
        (local.set $c (i32.xor (local.get $c) (local.get $a)))
        (local.set $d (i32.xor (local.get $d) (local.get $b)))
        (local.set $b (i32.xor (local.get $b) (local.get $c)))
        (local.set $a (i32.xor (local.get $a) (local.get $d)))
        (local.set $c (i32.xor (local.get $c) (local.get $t)))
        (local.set $d (i32.rotl (local.get $d) (i32.const 11)))
        (local.set $rec (i32.and (i32.shl (local.get $hz) (i32.const 4)) (i32.const 2032)))
        (br_if $slow
          (i32.ge_u (i32.add (local.get $hz) (i32.load offset=32 (local.get $rec))) (i32.load offset=36 (local.get $rec))))
        (f64.store (local.get $p)
          (f64.mul (local.get $scale) (f64.mul (f64.convert_i32_s (local.get $hz)) (f64.load offset=40 (local.get $rec)))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br_if $done (i32.ge_u (local.get $p) (i32.load offset=20 (i32.const 0))))
        (local.set $hz (i32.mul (i32.rotl (i32.mul (local.get $b) (i32.const 5)) (i32.const 7)) (i32.const 9)))
        (local.set $t (i32.shl (local.get $b) (i32.const 9)))
        (local.set $c (i32.xor (local.get $c) (local.get $a)))
        (local.set $d (i32.xor (local.get $d) (local.get $b)))
        (local.set $b (i32.xor (local.get $b) (local.get $c)))
        (local.set $a (i32.xor (local.get $a) (local.get $d)))
        (local.set $c (i32.xor (local.get $c) (local.get $t)))
        (local.set $d (i32.rotl (local.get $d) (i32.const 11)))
        (local.set $rec (i32.and (i32.shl (local.get $hz) (i32.const 4)) (i32.const 2032)))
        (br_if $slow
          (i32.ge_u (i32.add (local.get $hz) (i32.load offset=32 (local.get $rec))) (i32.load offset=36 (local.get $rec))))
        (f64.store (local.get $p)
          (f64.mul (local.get $scale) (f64.mul (f64.convert_i32_s (local.get $hz)) (f64.load offset=40 (local.get $rec)))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
          (br $l))
        ;; --- a rejected draw: $hz, and $rec = 16·iz ---
        (if (i32.eqz (local.get $rec))
          (then
            ;; the base strip: its tail needs the host's log, so Rng.normalSlow finishes it ($normals)
            (i32.store offset=16 (i32.const 0) (local.get $hz))
            (i32.store offset=20 (i32.const 0) (i32.const 0))
            (br $done)))
        (local.set $x (f64.mul (f64.convert_i32_s (local.get $hz)) (f64.load offset=40 (local.get $rec))))
        ;; uniform(): (hi·2^26 + lo) / 2^53 from the next two outputs, hi = out >>> 5, lo = out >>> 6
        (local.set $hi (i32.mul (i32.rotl (i32.mul (local.get $b) (i32.const 5)) (i32.const 7)) (i32.const 9)))
        (local.set $t (i32.shl (local.get $b) (i32.const 9)))
        (local.set $c (i32.xor (local.get $c) (local.get $a)))
        (local.set $d (i32.xor (local.get $d) (local.get $b)))
        (local.set $b (i32.xor (local.get $b) (local.get $c)))
        (local.set $a (i32.xor (local.get $a) (local.get $d)))
        (local.set $c (i32.xor (local.get $c) (local.get $t)))
        (local.set $d (i32.rotl (local.get $d) (i32.const 11)))
        (local.set $lo (i32.mul (i32.rotl (i32.mul (local.get $b) (i32.const 5)) (i32.const 7)) (i32.const 9)))
        (local.set $t (i32.shl (local.get $b) (i32.const 9)))
        (local.set $c (i32.xor (local.get $c) (local.get $a)))
        (local.set $d (i32.xor (local.get $d) (local.get $b)))
        (local.set $b (i32.xor (local.get $b) (local.get $c)))
        (local.set $a (i32.xor (local.get $a) (local.get $d)))
        (local.set $c (i32.xor (local.get $c) (local.get $t)))
        (local.set $d (i32.rotl (local.get $d) (i32.const 11)))
        ;; lhs = fn[iz] + u·(fn[iz − 1] − fn[iz])
        (local.set $f (f64.load offset=2080 (i32.shr_u (local.get $rec) (i32.const 1))))
        (local.set $lhs (f64.add (local.get $f)
          (f64.mul
            (f64.div
              (f64.add (f64.mul (f64.convert_i32_u (i32.shr_u (local.get $hi) (i32.const 5))) (f64.const 67108864))
                (f64.convert_i32_u (i32.shr_u (local.get $lo) (i32.const 6))))
              (f64.const 9007199254740992))
            (f64.sub (f64.load offset=2072 (i32.shr_u (local.get $rec) (i32.const 1))) (local.get $f)))))
        ;; below the lower squeeze line: accepted, x is the draw ($belowDensity's comparisons, inline)
        (if (f64.lt (local.get $lhs)
              (f64.add (f64.mul (f64.abs (local.get $x)) (f64.load offset=3104 (i32.shl (local.get $rec) (i32.const 1))))
                (f64.load offset=3112 (i32.shl (local.get $rec) (i32.const 1)))))
          (then
            (f64.store (local.get $p) (f64.mul (local.get $scale) (local.get $x)))
            (local.set $p (i32.add (local.get $p) (i32.const 8)))
            (br $l)))
        ;; above the upper line: rejected; the slow path's next draw is the loop's next draw for this output
        (br_if $l (f64.gt (local.get $lhs)
          (f64.add (f64.mul (f64.abs (local.get $x)) (f64.load offset=3120 (i32.shl (local.get $rec) (i32.const 1))))
            (f64.load offset=3128 (i32.shl (local.get $rec) (i32.const 1))))))
        ;; between the lines (about never): $normals finishes it with the exact comparison
        (i32.store offset=16 (i32.const 0) (local.get $hz))
        (i32.store offset=20 (i32.const 0) (i32.const 1))
        (f64.store offset=24 (i32.const 0) (local.get $lhs))))
    (i32.store (i32.const 0) (local.get $a))
    (i32.store offset=4 (i32.const 0) (local.get $b))
    (i32.store offset=8 (i32.const 0) (local.get $c))
    (i32.store offset=12 (i32.const 0) (local.get $d))
    (local.get $p))

  ;; Rng.normalSlow for a rejected draw hz (layer iz ≥ 1) whose comparison $normalsFast left between the squeeze lines,
  ;; with its u-side lhs: the exact comparison, and on rejection the slow path's next draw.
  (func $normalPending (param $hz i32) (param $lhs f64) (result f64)
    (local $x f64)
    (local.set $x (f64.mul (f64.convert_i32_s (local.get $hz))
      (f64.load offset=40 (i32.shl (i32.and (local.get $hz) (i32.const 127)) (i32.const 4)))))
    (if (call $belowExp (local.get $lhs) (f64.mul (f64.mul (f64.const -0.5) (local.get $x)) (local.get $x)))
      (then (return (local.get $x))))
    (local.set $hz (call $uint32))
    (if (call $accept (local.get $hz))
      (then (return (f64.mul (f64.convert_i32_s (local.get $hz))
        (f64.load offset=40 (i32.and (i32.shl (local.get $hz) (i32.const 4)) (i32.const 2032)))))))
    (call $normalSlow (local.get $hz)))

  ;; out[i] = scale · N(0, 1) for i < n: Rng.fillNormal(out, 0, n, scale) — $normalsFast, and the slow path for the
  ;; draws it leaves.
  (func $normals (param $out i32) (param $n i32) (param $scale f64)
    (local $p i32) (local $end i32)
    (local.set $p (local.get $out))
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 3))))
    (loop $l
      (local.set $p
        (call $normalsFast (local.get $p) (local.get $end) (local.get $scale)))
      (if (i32.lt_u (local.get $p) (local.get $end))
        (then
          (f64.store (local.get $p)
            (f64.mul (local.get $scale)
              (if (result f64) (i32.load offset=20 (i32.const 0))
                (then (call $normalPending (i32.load offset=16 (i32.const 0)) (f64.load offset=24 (i32.const 0))))
                (else (call $normalSlow (i32.load offset=16 (i32.const 0)))))))
          (local.set $p (i32.add (local.get $p) (i32.const 8)))
          (br $l)))))

  (func (export "normals") (param $out i32) (param $n i32) (param $scale f64)
    (call $normals (local.get $out) (local.get $n) (local.get $scale)))

  ;; One sample of the spiked model (sampleGaussianSource's operations, in its order): x = bulkScale·ξ (D normals; zeros
  ;; when $bulk = 0), then z = n normals (into $z), then x += (amp[t]·z[t]) e_t for each direction t with a nonzero
  ;; coefficient, in order of t. The additions go four directions per pass over x (then two, then one); each element
  ;; still sees them one at a time in order of t, so the grouping changes no result.
  (func (export "sample")
    (param $x i32) (param $D i32) (param $bulk i32) (param $bulkScale f64) (param $z i32) (param $n i32)
    (param $amp i32) (param $basis i32)
    (if (local.get $bulk)
      (then (call $normals (local.get $x) (local.get $D) (local.get $bulkScale)))
      (else (memory.fill (local.get $x) (i32.const 0) (i32.shl (local.get $D) (i32.const 3)))))
    (call $normals (local.get $z) (local.get $n) (f64.const 1))
    (call $mix (local.get $x) (local.get $D) (local.get $z) (local.get $n) (local.get $amp) (local.get $basis)))

  ;; x += (amp[t]·z[t]) e_t for t < n with a nonzero coefficient, in order of t (the mixing step of "sample").
  (func $mix (export "mix")
    (param $x i32) (param $D i32) (param $z i32) (param $n i32) (param $amp i32) (param $basis i32)
    (local $t i32) (local $c f64) (local $m i32) (local $rowBytes i32)
    (local $e0 i32) (local $e1 i32) (local $e2 i32) (local $c0 f64) (local $c1 f64) (local $c2 f64)
    (local.set $rowBytes (i32.shl (local.get $D) (i32.const 3)))
    (local.set $t (i32.const 0))
    (local.set $m (i32.const 0))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $t) (local.get $n)))
        (local.set $c (f64.mul
          (f64.load (i32.add (local.get $amp) (i32.shl (local.get $t) (i32.const 3))))
          (f64.load (i32.add (local.get $z) (i32.shl (local.get $t) (i32.const 3))))))
        (if (f64.ne (local.get $c) (f64.const 0))
          (then
            (if (i32.eq (local.get $m) (i32.const 3))
              (then
                (call $axpy4 (local.get $x) (local.get $e0) (local.get $c0) (local.get $e1) (local.get $c1)
                  (local.get $e2) (local.get $c2)
                  (i32.add (local.get $basis) (i32.mul (local.get $t) (local.get $rowBytes))) (local.get $c)
                  (local.get $D))
                (local.set $m (i32.const 0)))
              (else
                (if (i32.eq (local.get $m) (i32.const 2))
                  (then
                    (local.set $e2 (i32.add (local.get $basis) (i32.mul (local.get $t) (local.get $rowBytes))))
                    (local.set $c2 (local.get $c)))
                  (else
                    (if (i32.eq (local.get $m) (i32.const 1))
                      (then
                        (local.set $e1 (i32.add (local.get $basis) (i32.mul (local.get $t) (local.get $rowBytes))))
                        (local.set $c1 (local.get $c)))
                      (else
                        (local.set $e0 (i32.add (local.get $basis) (i32.mul (local.get $t) (local.get $rowBytes))))
                        (local.set $c0 (local.get $c))))))
                (local.set $m (i32.add (local.get $m) (i32.const 1)))))))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $l)))
    ;; the last one to three directions
    (if (i32.ge_u (local.get $m) (i32.const 2))
      (then
        (call $axpy2 (local.get $x) (local.get $e0) (local.get $c0) (local.get $e1) (local.get $c1) (local.get $D))
        (local.set $e0 (local.get $e2))
        (local.set $c0 (local.get $c2))
        (local.set $m (i32.sub (local.get $m) (i32.const 2)))))
    (if (local.get $m)
      (then (call $axpy (local.get $x) (local.get $e0) (local.get $c0) (i32.const 0) (f64.const 0) (i32.const 0)
        (local.get $D)))))

  ;; dst[i] = (((dst[i] + a·w[i]) + b·x[i]) + c·y[i]) + d·u[i], i < n: four directions in one pass over dst, each
  ;; element seeing the additions in the order of four separate passes (the same bits).
  (func $axpy4
    (param $dst i32) (param $w i32) (param $a f64) (param $x i32) (param $b f64) (param $y i32) (param $c f64)
    (param $u i32) (param $d f64) (param $n i32)
    (local $i i32) (local $end2 i32) (local $av v128) (local $bv v128) (local $cv v128) (local $dv v128)
    (local $p i32) (local $o i32)
    (local.set $end2 (i32.and (local.get $n) (i32.const -2)))
    (local.set $av (f64x2.splat (local.get $a)))
    (local.set $bv (f64x2.splat (local.get $b)))
    (local.set $cv (f64x2.splat (local.get $c)))
    (local.set $dv (f64x2.splat (local.get $d)))
    (local.set $i (i32.const 0))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $end2)))
        (local.set $o (i32.shl (local.get $i) (i32.const 3)))
        (local.set $p (i32.add (local.get $dst) (local.get $o)))
        (v128.store (local.get $p)
          (f64x2.add
            (f64x2.add
              (f64x2.add
                (f64x2.add (v128.load (local.get $p))
                  (f64x2.mul (local.get $av) (v128.load (i32.add (local.get $w) (local.get $o)))))
                (f64x2.mul (local.get $bv) (v128.load (i32.add (local.get $x) (local.get $o)))))
              (f64x2.mul (local.get $cv) (v128.load (i32.add (local.get $y) (local.get $o)))))
            (f64x2.mul (local.get $dv) (v128.load (i32.add (local.get $u) (local.get $o))))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $l)))
    (if (i32.lt_u (local.get $i) (local.get $n))
      (then
        (local.set $o (i32.shl (local.get $i) (i32.const 3)))
        (local.set $p (i32.add (local.get $dst) (local.get $o)))
        (f64.store (local.get $p)
          (f64.add
            (f64.add
              (f64.add
                (f64.add (f64.load (local.get $p)) (f64.mul (local.get $a) (f64.load (i32.add (local.get $w) (local.get $o)))))
                (f64.mul (local.get $b) (f64.load (i32.add (local.get $x) (local.get $o)))))
              (f64.mul (local.get $c) (f64.load (i32.add (local.get $y) (local.get $o)))))
            (f64.mul (local.get $d) (f64.load (i32.add (local.get $u) (local.get $o)))))))))

  ;; dst[i] = (dst[i] + a·x[i]) + b·y[i], i < n: two of the spiked model's directions added in one pass over dst, each
;; element seeing the additions in the order of two axpy passes (the same bits).
  (func $axpy2 (export "axpy2")
    (param $dst i32) (param $x i32) (param $a f64) (param $y i32) (param $b f64) (param $n i32)
    (local $i i32) (local $end2 i32) (local $av v128) (local $bv v128) (local $p i32) (local $o i32)
    (local.set $end2 (i32.and (local.get $n) (i32.const -2)))
    (local.set $av (f64x2.splat (local.get $a)))
    (local.set $bv (f64x2.splat (local.get $b)))
    (local.set $i (i32.const 0))
    ;; four elements per pass, then two
    (block $done
      (loop $l
        (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $end2)))
        (local.set $o (i32.shl (local.get $i) (i32.const 3)))
        (local.set $p (i32.add (local.get $dst) (local.get $o)))
        (v128.store (local.get $p)
          (f64x2.add
            (f64x2.add (v128.load (local.get $p))
              (f64x2.mul (local.get $av) (v128.load (i32.add (local.get $x) (local.get $o)))))
            (f64x2.mul (local.get $bv) (v128.load (i32.add (local.get $y) (local.get $o))))))
        (v128.store offset=16 (local.get $p)
          (f64x2.add
            (f64x2.add (v128.load offset=16 (local.get $p))
              (f64x2.mul (local.get $av) (v128.load offset=16 (i32.add (local.get $x) (local.get $o)))))
            (f64x2.mul (local.get $bv) (v128.load offset=16 (i32.add (local.get $y) (local.get $o))))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $l)))
    (if (i32.lt_u (local.get $i) (local.get $end2))
      (then
        (local.set $o (i32.shl (local.get $i) (i32.const 3)))
        (local.set $p (i32.add (local.get $dst) (local.get $o)))
            (v128.store (local.get $p)
              (f64x2.add
                (f64x2.add (v128.load (local.get $p))
                  (f64x2.mul (local.get $av) (v128.load (i32.add (local.get $x) (local.get $o)))))
                (f64x2.mul (local.get $bv) (v128.load (i32.add (local.get $y) (local.get $o))))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))))
    (if (i32.lt_u (local.get $i) (local.get $n))
      (then
        (local.set $o (i32.shl (local.get $i) (i32.const 3)))
        (local.set $p (i32.add (local.get $dst) (local.get $o)))
        (f64.store (local.get $p)
          (f64.add
            (f64.add (f64.load (local.get $p)) (f64.mul (local.get $a) (f64.load (i32.add (local.get $x) (local.get $o)))))
            (f64.mul (local.get $b) (f64.load (i32.add (local.get $y) (local.get $o)))))))))
)
