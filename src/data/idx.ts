/**
 * Reader of the IDX file format (LeCun's MNIST format, also used by FashionMNIST), optionally gzip-compressed.
 *
 * Layout: a 4-byte magic (0x00 0x00, type code, number of dimensions), one big-endian uint32 per dimension, then the
 * data in row-major order. Only type 0x08 (unsigned byte) is supported, which is what (Fashion)MNIST uses.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import { ValidationError } from '../core/errors.ts';

/** IDX type code of unsigned bytes. */
const IDX_UBYTE = 0x08;
/** Size of the magic number in bytes. */
const MAGIC_BYTES = 4;
/** gzip's two magic bytes. */
const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** A parsed IDX array. */
export interface IdxArray {
  /** Dimensions, e.g. [N, 28, 28] for images or [N] for labels. */
  shape: number[];
  /** The entries, row-major. */
  data: Uint8Array;
}

/** Decompresses `bytes` when they start with the gzip magic; otherwise returns them unchanged. */
export function maybeGunzip(bytes: Uint8Array, file: string): Uint8Array {
  if (bytes.length >= 2 && bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1]) {
    try {
      return new Uint8Array(gunzipSync(bytes));
    } catch (err) {
      throw new ValidationError({
        field: file,
        received: `a gzip stream of ${bytes.length} bytes that fails to decompress (${(err as Error).message})`,
        expected: 'a complete gzip file',
        hint: 'the file is probably truncated; download it again',
      });
    }
  }
  return bytes;
}

/**
 * The shape in an IDX header (magic, then one big-endian uint32 per dimension) and the header's length in bytes;
 * `bytes` may stop after the header. Errors name `file`.
 */
function parseIdxHeader(
  bytes: Uint8Array,
  file: string,
  expectedDims?: number,
): { shape: number[]; headerBytes: number } {
  if (bytes.length < MAGIC_BYTES) {
    throw new ValidationError({
      field: file,
      received: `${bytes.length} bytes`,
      expected: 'an IDX file of at least 4 bytes (magic number)',
    });
  }
  if (bytes[0] !== 0 || bytes[1] !== 0 || bytes[2] !== IDX_UBYTE) {
    throw new ValidationError({
      field: file,
      received: `magic bytes ${Array.from(bytes.subarray(0, 4), (b) => `0x${b.toString(16).padStart(2, '0')}`).join(' ')}`,
      expected: 'IDX magic 0x00 0x00 0x08 <dims> (unsigned-byte data)',
      hint: 'is this an IDX file (e.g. train-images-idx3-ubyte.gz)?',
    });
  }
  const dims = bytes[3];
  if (dims < 1 || (expectedDims !== undefined && dims !== expectedDims)) {
    throw new ValidationError({
      field: file,
      received: `${dims} dimensions`,
      expected: expectedDims !== undefined ? `${expectedDims} dimensions` : 'at least 1 dimension',
    });
  }
  const headerBytes = MAGIC_BYTES + 4 * dims;
  if (bytes.length < headerBytes) {
    throw new ValidationError({
      field: file,
      received: `${bytes.length} bytes`,
      expected: `a header of ${headerBytes} bytes for ${dims} dimensions`,
      hint: 'the file is truncated',
    });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let d = 0; d < dims; d++) shape.push(view.getUint32(MAGIC_BYTES + 4 * d, false));
  return { shape, headerBytes };
}

/**
 * Parses IDX bytes (already decompressed). `file` names the source in error messages; `expectedDims` (optional)
 * is the number of dimensions the caller needs.
 */
export function parseIdx(bytes: Uint8Array, file: string, expectedDims?: number): IdxArray {
  const { shape, headerBytes } = parseIdxHeader(bytes, file, expectedDims);
  const count = shape.reduce((a, b) => a * b, 1);
  const available = bytes.length - headerBytes;
  if (available !== count) {
    throw new ValidationError({
      field: file,
      received: `${available} data bytes after the header`,
      expected: `${count} bytes for shape [${shape.join(', ')}]`,
      hint: available < count ? 'the file is truncated' : 'the file has trailing bytes; is the header right?',
    });
  }
  return { shape, data: bytes.subarray(headerBytes, headerBytes + count) };
}

/** Reads and parses an IDX file (gzip or plain). */
export function readIdxFile(file: string, expectedDims?: number): IdxArray {
  let raw: Uint8Array;
  try {
    raw = new Uint8Array(readFileSync(file));
  } catch (err) {
    throw new ValidationError({
      field: file,
      received: (err as NodeJS.ErrnoException).code ?? (err as Error).message,
      expected: 'a readable IDX file',
    });
  }
  return parseIdx(maybeGunzip(raw, file), file, expectedDims);
}

/** Bytes read from the start of a file by {@link readIdxHeader}: a gzip stream's first block holds the header. */
const HEADER_PROBE_BYTES = 4096;

/**
 * The shape in an IDX file's header (gzip or plain), read from the file's first few kilobytes without loading the
 * data: enough to check a dataset directory before a long run. Throws a ValidationError naming the file.
 */
export function readIdxHeader(file: string, expectedDims?: number): number[] {
  let head: Uint8Array;
  try {
    const fd = openSync(file, 'r');
    try {
      const buf = new Uint8Array(HEADER_PROBE_BYTES);
      head = buf.subarray(0, readSync(fd, buf, 0, HEADER_PROBE_BYTES, 0));
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    throw new ValidationError({
      field: file,
      received: (err as NodeJS.ErrnoException).code ?? (err as Error).message,
      expected: 'a readable IDX file',
    });
  }
  if (head.length >= 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1]) {
    try {
      // A sync flush decompresses what the first bytes hold instead of failing on the stream's missing end.
      head = new Uint8Array(gunzipSync(head, { finishFlush: zlibConstants.Z_SYNC_FLUSH }));
    } catch (err) {
      throw new ValidationError({
        field: file,
        received: `a gzip stream that fails to decompress (${(err as Error).message})`,
        expected: 'a gzip-compressed IDX file',
        hint: 'download the file again',
      });
    }
  }
  return parseIdxHeader(head, file, expectedDims).shape;
}

/** Encodes an unsigned-byte IDX array (used by the fixture script and the tests). */
export function encodeIdx(shape: readonly number[], data: Uint8Array): Uint8Array {
  const header = new Uint8Array(MAGIC_BYTES + 4 * shape.length);
  header[2] = IDX_UBYTE;
  header[3] = shape.length;
  const view = new DataView(header.buffer);
  for (let d = 0; d < shape.length; d++) view.setUint32(MAGIC_BYTES + 4 * d, shape[d], false);
  const out = new Uint8Array(header.length + data.length);
  out.set(header, 0);
  out.set(data, header.length);
  return out;
}
