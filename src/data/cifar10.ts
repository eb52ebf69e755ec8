/**
 * Reader of the CIFAR-10 binary format (https://www.cs.toronto.edu/~kriz/cifar.html, "binary version"): each record is
 * 1 label byte then 3072 bytes of pixels (1024 red, 1024 green, 1024 blue, each 32×32 row-major). Files such as
 * data_batch_1.bin hold 10000 records. `grayscale` applies torchvision's Grayscale (ITU-R 601-2 luma
 * L = 0.299 R + 0.587 G + 0.114 B), giving D = 1024 as in the authors' `cifar10_gray` (docs/theory-refinetti2022.md
 * (E5)); pixels are scaled to [0, 1] as ToTensor does. (torchvision rounds L to an integer byte first; we do too.)
 */
import { readFileSync } from 'node:fs';
import { ValidationError } from '../core/errors.ts';

/** Pixels per channel. */
export const CIFAR_PIXELS = 32 * 32;
/** Bytes per record: label + 3 channels. */
export const CIFAR_RECORD_BYTES = 1 + 3 * CIFAR_PIXELS;
const PIXEL_MAX = 255;
const LUMA = [0.299, 0.587, 0.114] as const;
const NUM_CLASSES = 10;

/** Options of {@link parseCifar10}. */
export interface Cifar10Options {
  /** Convert to one luma channel (D = 1024, default true) or keep RGB (D = 3072, channel-major). */
  grayscale?: boolean;
  /** Keep only the first `limit` records. */
  limit?: number;
}

/** Parsed records. */
export interface Cifar10 {
  /** N × D row-major in [0, 1]. */
  images: Float64Array;
  labels: Uint8Array;
  count: number;
  dim: number;
}

/** Parses CIFAR-10 binary bytes; `file` names the source in errors. */
export function parseCifar10(bytes: Uint8Array, file: string, options: Cifar10Options = {}): Cifar10 {
  const grayscale = options.grayscale ?? true;
  if (bytes.length === 0 || bytes.length % CIFAR_RECORD_BYTES !== 0) {
    throw new ValidationError({
      field: file,
      received: `${bytes.length} bytes (${Math.floor(bytes.length / CIFAR_RECORD_BYTES)} whole records + ${bytes.length % CIFAR_RECORD_BYTES} bytes)`,
      expected: `a positive multiple of ${CIFAR_RECORD_BYTES} bytes (1 label + 3072 pixel bytes per record)`,
      hint: 'the file is truncated or not a CIFAR-10 binary batch',
    });
  }
  const total = bytes.length / CIFAR_RECORD_BYTES;
  const count = options.limit === undefined ? total : Math.min(options.limit, total);
  const dim = grayscale ? CIFAR_PIXELS : 3 * CIFAR_PIXELS;
  const images = new Float64Array(count * dim);
  const labels = new Uint8Array(count);
  for (let r = 0; r < count; r++) {
    const base = r * CIFAR_RECORD_BYTES;
    const label = bytes[base];
    if (label >= NUM_CLASSES) {
      throw new ValidationError({
        field: `${file} record ${r}`,
        received: `label ${label}`,
        expected: `a label in 0..${NUM_CLASSES - 1}`,
        hint: 'is this the CIFAR-10 binary (not CIFAR-100 or the python pickle) format?',
      });
    }
    labels[r] = label;
    const px = base + 1;
    const out = r * dim;
    if (grayscale) {
      for (let i = 0; i < CIFAR_PIXELS; i++) {
        const l =
          LUMA[0] * bytes[px + i] + LUMA[1] * bytes[px + CIFAR_PIXELS + i] + LUMA[2] * bytes[px + 2 * CIFAR_PIXELS + i];
        images[out + i] = Math.round(l) / PIXEL_MAX;
      }
    } else {
      for (let i = 0; i < 3 * CIFAR_PIXELS; i++) images[out + i] = bytes[px + i] / PIXEL_MAX;
    }
  }
  return { images, labels, count, dim };
}

/** Reads one CIFAR-10 binary batch file. */
export function loadCifar10Batch(file: string, options: Cifar10Options = {}): Cifar10 {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(file));
  } catch (err) {
    throw new ValidationError({
      field: file,
      received: (err as NodeJS.ErrnoException).code ?? (err as Error).message,
      expected: 'a readable CIFAR-10 binary batch (e.g. data_batch_1.bin)',
    });
  }
  return parseCifar10(bytes, file, options);
}
