import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { generatedSource, wasmBytesFromSource } from './build.ts';
import { probeOnlineSgdWasm } from './onlineSgdWasm.ts';

describe('online-SGD WebAssembly module', () => {
  test('the committed bytes are those assembled from onlineSgd.wat (run src/kernels/wasm/build.ts after editing)', async () => {
    const committed = readFileSync(fileURLToPath(new URL('./onlineSgdWasm.generated.ts', import.meta.url)), 'utf8');
    expect(committed).toBe(generatedSource(await wasmBytesFromSource()));
  });
  test('the probe reports availability (Node 20 supports 128-bit SIMD)', () => {
    expect(probeOnlineSgdWasm()).toEqual({ available: true });
  });
});
