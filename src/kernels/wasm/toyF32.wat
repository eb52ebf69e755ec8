;; The elementwise passes of the toy model's float32 training step (src/sim/persianrug2024/trainToyModel.ts), in
;; 128-bit SIMD: `delta` (δ = ∂L/∂z in place of the float32 pre-activations, and the bias gradient) and `adamF32`.
;; Each does the JavaScript pass's floating-point operations in the same order, so the same bits (toyF32Wasm.test.ts).
;;
;; adamF32: Adam with float32 parameters and moments (PyTorch's float32 Adam), two parameters a pass in f64x2: the
;; update of src/sim/persianrug2024/adam.ts's adamStepF32, operation for operation. Each value is evaluated in
;; float64 from the stored float32 values and rounded to float32 once where it is stored (f32x4.demote_f64x2_zero
;; rounds to nearest even, as Math.fround does); division and square root are IEEE's in both. The update is bound by
;; the divider (three divisions and a square root a parameter), which f64x2 runs two lanes at a time.
;;
;; Also writes the parameters' float64 image (the trainer's `theta`, what its float64 kernels read), which the
;; JavaScript path copies in a separate pass.
;;
;; Build: npx tsx src/kernels/wasm/build.ts (writes toyF32Wasm.generated.ts; a test checks it is up to date).
(module
  (memory (export "memory") 1)

;; δ of the batch, in place of z (f32, batch×n: the pre-bias outputs h·W_outᵀ), as trainToyModel's deltaInPlace
  ;; (xDense = 0: row s's nonzeros are values[s·n + c] at columns nz[s·n + c], c < counts[s], scattered into the
  ;; zeroed scratch xRow, 2n f64, and cleared again) or deltaDenseX (xDense = 1: x itself, batch×n f64, at $x):
  ;;   pre = z + b,  δ = (scale·(pre − x))·[pre > 0],  z ← fround(δ),  gBias = Σ_s δ_s (f64, n)
  ;; with the indicator a multiplication by 1 or +0 (the JavaScript's +(pre > 0)), the rows in pairs and
  ;; gBias[i] = (gBias[i] + δ₁) + δ₂ as deltaRows does. Two columns a pass in f64x2; an odd n's last column and an odd
  ;; batch's last row in the same operations.
  (func (export "delta")
    (param $z i32) (param $values i32) (param $nz i32) (param $counts i32) (param $x i32) (param $xDense i32)
    (param $xRow i32) (param $bias i32) (param $gBias i32) (param $batch i32) (param $n i32) (param $scale f64)
    (local $s i32) (local $row i32) (local $xa i32) (local $xb i32)
    (local $i i32)
    (local.set $i (i32.const 0))
    (block $zd (loop $zl
      (br_if $zd (i32.ge_u (local.get $i) (local.get $n)))
      (f64.store (i32.add (local.get $gBias) (i32.shl (local.get $i) (i32.const 3))) (f64.const 0))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $zl)))
    (local.set $s (i32.const 0))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $s) (local.get $batch)))
      (local.set $row (i32.mul (local.get $s) (local.get $n)))
      (if (local.get $xDense)
        (then
          (local.set $xa (i32.add (local.get $x) (i32.shl (local.get $row) (i32.const 3))))
          (local.set $xb (i32.add (local.get $xa) (i32.shl (local.get $n) (i32.const 3)))))
        (else
          (local.set $xa (local.get $xRow))
          (local.set $xb (i32.add (local.get $xRow) (i32.shl (local.get $n) (i32.const 3))))
          (call $scatter (local.get $values) (local.get $nz) (local.get $counts) (local.get $s) (local.get $n)
            (local.get $xa) (i32.const 1))))
      (if (i32.lt_u (i32.add (local.get $s) (i32.const 1)) (local.get $batch))
        (then
          (if (i32.eqz (local.get $xDense))
            (then (call $scatter (local.get $values) (local.get $nz) (local.get $counts)
              (i32.add (local.get $s) (i32.const 1)) (local.get $n) (local.get $xb) (i32.const 1))))
          (call $deltaPair (i32.add (local.get $z) (i32.shl (local.get $row) (i32.const 2))) (local.get $xa)
            (local.get $xb) (local.get $bias) (local.get $gBias) (local.get $n) (local.get $scale))
          (if (i32.eqz (local.get $xDense))
            (then (call $scatter (local.get $values) (local.get $nz) (local.get $counts)
              (i32.add (local.get $s) (i32.const 1)) (local.get $n) (local.get $xb) (i32.const 0)))))
        (else
          (call $deltaOne (i32.add (local.get $z) (i32.shl (local.get $row) (i32.const 2))) (local.get $xa)
            (local.get $bias) (local.get $gBias) (local.get $n) (local.get $scale))))
      (if (i32.eqz (local.get $xDense))
        (then (call $scatter (local.get $values) (local.get $nz) (local.get $counts) (local.get $s) (local.get $n)
          (local.get $xa) (i32.const 0))))
      (local.set $s (i32.add (local.get $s) (i32.const 2)))
      (br $l))))

  ;; Row s's listed values into dst (put = 1), or zeros at the same columns (put = 0).
  (func $scatter (param $values i32) (param $nz i32) (param $counts i32) (param $s i32) (param $n i32) (param $dst i32)
    (param $put i32)
    (local $c i32) (local $cnt i32) (local $base i32) (local $j i32)
    (local.set $cnt (i32.load (i32.add (local.get $counts) (i32.shl (local.get $s) (i32.const 2)))))
    (local.set $base (i32.mul (local.get $s) (local.get $n)))
    (local.set $c (i32.const 0))
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $c) (local.get $cnt)))
      (local.set $j (i32.add (local.get $base) (local.get $c)))
      (f64.store
        (i32.add (local.get $dst) (i32.shl (i32.load (i32.add (local.get $nz) (i32.shl (local.get $j) (i32.const 2))))
          (i32.const 3)))
        (if (result f64) (local.get $put)
          (then (f64.load (i32.add (local.get $values) (i32.shl (local.get $j) (i32.const 3)))))
          (else (f64.const 0))))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br $l))))

  ;; δ of one element, pre = z + b: (scale·(pre − x))·[pre > 0]
  (func $d1 (param $zv f64) (param $b f64) (param $xv f64) (param $scale f64) (result f64)
    (local $pre f64)
    (local.set $pre (f64.add (local.get $zv) (local.get $b)))
    (f64.mul (f64.mul (local.get $scale) (f64.sub (local.get $pre) (local.get $xv)))
      (select (f64.const 1) (f64.const 0) (f64.gt (local.get $pre) (f64.const 0)))))

  (func $deltaPair (param $z i32) (param $xa i32) (param $xb i32) (param $bias i32) (param $gBias i32) (param $n i32)
    (param $scale f64)
    (local $i i32) (local $n2 i32) (local $z2 i32) (local $vs v128) (local $b v128) (local $d v128) (local $e v128)
    (local $o4 i32) (local $o8 i32) (local $sd f64) (local $se f64) (local $sb f64)
    (local $pre v128) (local $zero v128) (local $one v128)
    (local.set $vs (f64x2.splat (local.get $scale)))
    (local.set $zero (f64x2.splat (f64.const 0)))
    (local.set $one (f64x2.splat (f64.const 1)))
    (local.set $z2 (i32.add (local.get $z) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $n2 (i32.and (local.get $n) (i32.const -2)))
    (local.set $i (i32.const 0))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $n2)))
      (local.set $o4 (i32.shl (local.get $i) (i32.const 2)))
      (local.set $o8 (i32.shl (local.get $i) (i32.const 3)))
      (local.set $b (v128.load (i32.add (local.get $bias) (local.get $o8))))
      ;; δ₁ = (scale·(pre − x))·[pre > 0], pre = z + b (written out: a call per pair costs, wasm calls are not inlined)
      (local.set $pre (f64x2.add
        (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $z) (local.get $o4)))) (local.get $b)))
      (local.set $d (f64x2.mul
        (f64x2.mul (local.get $vs) (f64x2.sub (local.get $pre) (v128.load (i32.add (local.get $xa) (local.get $o8)))))
        (v128.and (f64x2.gt (local.get $pre) (local.get $zero)) (local.get $one))))
      (v128.store64_lane 0 (i32.add (local.get $z) (local.get $o4)) (f32x4.demote_f64x2_zero (local.get $d)))
      (local.set $pre (f64x2.add
        (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $z2) (local.get $o4)))) (local.get $b)))
      (local.set $e (f64x2.mul
        (f64x2.mul (local.get $vs) (f64x2.sub (local.get $pre) (v128.load (i32.add (local.get $xb) (local.get $o8)))))
        (v128.and (f64x2.gt (local.get $pre) (local.get $zero)) (local.get $one))))
      (v128.store64_lane 0 (i32.add (local.get $z2) (local.get $o4)) (f32x4.demote_f64x2_zero (local.get $e)))
      (v128.store (i32.add (local.get $gBias) (local.get $o8))
        (f64x2.add (f64x2.add (v128.load (i32.add (local.get $gBias) (local.get $o8))) (local.get $d)) (local.get $e)))
      (local.set $i (i32.add (local.get $i) (i32.const 2)))
      (br $l)))
    (if (i32.lt_u (local.get $i) (local.get $n))
      (then
        (local.set $o4 (i32.shl (local.get $i) (i32.const 2)))
        (local.set $o8 (i32.shl (local.get $i) (i32.const 3)))
        (local.set $sb (f64.load (i32.add (local.get $bias) (local.get $o8))))
        (local.set $sd (call $d1 (f64.promote_f32 (f32.load (i32.add (local.get $z) (local.get $o4)))) (local.get $sb)
          (f64.load (i32.add (local.get $xa) (local.get $o8))) (local.get $scale)))
        (f32.store (i32.add (local.get $z) (local.get $o4)) (f32.demote_f64 (local.get $sd)))
        (local.set $se (call $d1 (f64.promote_f32 (f32.load (i32.add (local.get $z2) (local.get $o4)))) (local.get $sb)
          (f64.load (i32.add (local.get $xb) (local.get $o8))) (local.get $scale)))
        (f32.store (i32.add (local.get $z2) (local.get $o4)) (f32.demote_f64 (local.get $se)))
        (f64.store (i32.add (local.get $gBias) (local.get $o8))
          (f64.add (f64.add (f64.load (i32.add (local.get $gBias) (local.get $o8))) (local.get $sd)) (local.get $se))))))

  (func $deltaOne (param $z i32) (param $xa i32) (param $bias i32) (param $gBias i32) (param $n i32) (param $scale f64)
    (local $i i32) (local $o4 i32) (local $o8 i32) (local $sd f64)
    (local.set $i (i32.const 0))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $o4 (i32.shl (local.get $i) (i32.const 2)))
      (local.set $o8 (i32.shl (local.get $i) (i32.const 3)))
      (local.set $sd (call $d1 (f64.promote_f32 (f32.load (i32.add (local.get $z) (local.get $o4))))
        (f64.load (i32.add (local.get $bias) (local.get $o8))) (f64.load (i32.add (local.get $xa) (local.get $o8)))
        (local.get $scale)))
      (f32.store (i32.add (local.get $z) (local.get $o4)) (f32.demote_f64 (local.get $sd)))
      (f64.store (i32.add (local.get $gBias) (local.get $o8))
        (f64.add (f64.load (i32.add (local.get $gBias) (local.get $o8))) (local.get $sd)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l))))

  ;; w: f32[n], g: f64[n], mo, ve: f32[n], img: f64[n] (the float64 image of w after the step; byte offsets).
  ;; a1 = 1 − β1, a2 = 1 − β2 as JavaScript evaluates them, so the constants are the same doubles.
  (func (export "adamF32")
    (param $w i32) (param $g i32) (param $mo i32) (param $ve i32) (param $img i32) (param $n i32)
    (param $lr f64) (param $c1 f64) (param $c2 f64) (param $b1 f64) (param $a1 f64) (param $b2 f64) (param $a2 f64)
    (param $eps f64)
    (local $i i32) (local $n2 i32) (local $o4 i32) (local $o8 i32)
    (local $gi v128) (local $m v128) (local $v v128) (local $wn v128)
    (local $vlr v128) (local $vc1 v128) (local $vc2 v128) (local $vb1 v128) (local $va1 v128) (local $vb2 v128)
    (local $va2 v128) (local $veps v128)
    (local $sg f64) (local $sm f64) (local $sv f64) (local $sw f64)
    (local.set $vlr (f64x2.splat (local.get $lr)))
    (local.set $vc1 (f64x2.splat (local.get $c1)))
    (local.set $vc2 (f64x2.splat (local.get $c2)))
    (local.set $vb1 (f64x2.splat (local.get $b1)))
    (local.set $va1 (f64x2.splat (local.get $a1)))
    (local.set $vb2 (f64x2.splat (local.get $b2)))
    (local.set $va2 (f64x2.splat (local.get $a2)))
    (local.set $veps (f64x2.splat (local.get $eps)))
    (local.set $n2 (i32.and (local.get $n) (i32.const -2)))
    (local.set $i (i32.const 0))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n2)))
        (local.set $o4 (i32.shl (local.get $i) (i32.const 2)))
        (local.set $o8 (i32.shl (local.get $i) (i32.const 3)))
        (local.set $gi (v128.load (i32.add (local.get $g) (local.get $o8))))
        ;; m = fround(β1·mo + (1 − β1)·g)
        (local.set $m
          (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero
            (f64x2.add
              (f64x2.mul (local.get $vb1)
                (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $mo) (local.get $o4)))))
              (f64x2.mul (local.get $va1) (local.get $gi))))))
        ;; v = fround(β2·ve + ((1 − β2)·g)·g)
        (local.set $v
          (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero
            (f64x2.add
              (f64x2.mul (local.get $vb2)
                (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $ve) (local.get $o4)))))
              (f64x2.mul (f64x2.mul (local.get $va2) (local.get $gi)) (local.get $gi))))))
        (v128.store64_lane 0 (i32.add (local.get $mo) (local.get $o4)) (f32x4.demote_f64x2_zero (local.get $m)))
        (v128.store64_lane 0 (i32.add (local.get $ve) (local.get $o4)) (f32x4.demote_f64x2_zero (local.get $v)))
        ;; w = fround(w − (lr·(m/c1)) / (√(v/c2) + eps))
        (local.set $wn
          (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero
            (f64x2.sub
              (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $w) (local.get $o4))))
              (f64x2.div
                (f64x2.mul (local.get $vlr) (f64x2.div (local.get $m) (local.get $vc1)))
                (f64x2.add (f64x2.sqrt (f64x2.div (local.get $v) (local.get $vc2))) (local.get $veps)))))))
        (v128.store64_lane 0 (i32.add (local.get $w) (local.get $o4)) (f32x4.demote_f64x2_zero (local.get $wn)))
        (v128.store (i32.add (local.get $img) (local.get $o8)) (local.get $wn))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $l)))
    ;; the odd last parameter, in scalar code (the same operations)
    (if (i32.lt_u (local.get $i) (local.get $n))
      (then
        (local.set $o4 (i32.shl (local.get $i) (i32.const 2)))
        (local.set $o8 (i32.shl (local.get $i) (i32.const 3)))
        (local.set $sg (f64.load (i32.add (local.get $g) (local.get $o8))))
        (local.set $sm (f64.promote_f32 (f32.demote_f64
          (f64.add
            (f64.mul (local.get $b1) (f64.promote_f32 (f32.load (i32.add (local.get $mo) (local.get $o4)))))
            (f64.mul (local.get $a1) (local.get $sg))))))
        (local.set $sv (f64.promote_f32 (f32.demote_f64
          (f64.add
            (f64.mul (local.get $b2) (f64.promote_f32 (f32.load (i32.add (local.get $ve) (local.get $o4)))))
            (f64.mul (f64.mul (local.get $a2) (local.get $sg)) (local.get $sg))))))
        (f32.store (i32.add (local.get $mo) (local.get $o4)) (f32.demote_f64 (local.get $sm)))
        (f32.store (i32.add (local.get $ve) (local.get $o4)) (f32.demote_f64 (local.get $sv)))
        (local.set $sw (f64.promote_f32 (f32.demote_f64
          (f64.sub
            (f64.promote_f32 (f32.load (i32.add (local.get $w) (local.get $o4))))
            (f64.div
              (f64.mul (local.get $lr) (f64.div (local.get $sm) (local.get $c1)))
              (f64.add (f64.sqrt (f64.div (local.get $sv) (local.get $c2))) (local.get $eps)))))))
        (f32.store (i32.add (local.get $w) (local.get $o4)) (f32.demote_f64 (local.get $sw)))
        (f64.store (i32.add (local.get $img) (local.get $o8)) (local.get $sw)))))
)
