/** out[s] = (1/d)‖x_s − x̂_s‖² for each of `rows` rows of x and x̂ (rows × d, row-major): per-sample risk. */
export function rowErrors(x: Float64Array, recon: Float64Array, rows: number, d: number, out: Float64Array): void {
  for (let s = 0; s < rows; s++) {
    let e = 0;
    for (let j = 0; j < d; j++) e += (x[s * d + j] - recon[s * d + j]) ** 2;
    out[s] = e / d;
  }
}
