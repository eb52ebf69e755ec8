/** A dense row-major float64 matrix over one contiguous array: entry (i, j) is `data[i * cols + j]`. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** A `rows × cols` matrix over `data` (a Float64Array is used as is, an array is copied), or zeros. */
export function matrix(rows: number, cols: number, data?: Float64Array | readonly number[]): Matrix {
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
    throw new RangeError(`matrix: rows and cols must be non-negative integers, received ${rows}×${cols}`);
  }
  const arr =
    data === undefined ? new Float64Array(rows * cols) : data instanceof Float64Array ? data : Float64Array.from(data);
  if (arr.length !== rows * cols) {
    throw new RangeError(`matrix: data has length ${arr.length}, expected rows·cols = ${rows * cols}`);
  }
  return { rows, cols, data: arr };
}

/** The zero matrix. */
export function zerosMatrix(rows: number, cols: number): Matrix {
  return matrix(rows, cols);
}

/** The n × n identity. */
export function identityMatrix(n: number): Matrix {
  const m = matrix(n, n);
  for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
  return m;
}

/** A matrix from nested rows (all of equal length). */
export function matrixFromRows(rows: readonly (readonly number[])[]): Matrix {
  const r = rows.length;
  const c = r === 0 ? 0 : rows[0].length;
  const m = matrix(r, c);
  for (let i = 0; i < r; i++) {
    if (rows[i].length !== c)
      throw new RangeError(`matrixFromRows: row ${i} has ${rows[i].length} entries, expected ${c}`);
    for (let j = 0; j < c; j++) m.data[i * c + j] = rows[i][j];
  }
  return m;
}

/** Nested rows of a matrix (for JSON and printing). */
export function matrixToRows(m: Matrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

/** Entry (i, j). */
export function matrixGet(m: Matrix, i: number, j: number): number {
  return m.data[i * m.cols + j];
}

/** The transpose, as a new matrix. */
export function transpose(m: Matrix): Matrix {
  const t = matrix(m.cols, m.rows);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) t.data[j * m.rows + i] = m.data[i * m.cols + j];
  return t;
}

/** The product a·b in float64 (theory side; simulations use the kernel registry's gemm). */
export function matmul(a: Matrix, b: Matrix): Matrix {
  if (a.cols !== b.rows)
    throw new RangeError(`matmul: inner dimensions differ (${a.rows}×${a.cols} · ${b.rows}×${b.cols})`);
  const c = matrix(a.rows, b.cols);
  const n = b.cols;
  for (let i = 0; i < a.rows; i++) {
    for (let p = 0; p < a.cols; p++) {
      const aip = a.data[i * a.cols + p];
      if (aip === 0) continue;
      const bo = p * n;
      const co = i * n;
      for (let j = 0; j < n; j++) c.data[co + j] += aip * b.data[bo + j];
    }
  }
  return c;
}
