import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { generatedSource, WASM_MODULES, wasmBytesFromSource } from './build.ts';
import { probeOnlineSgdWasm } from './onlineSgdWasm.ts';

describe('WebAssembly modules', () => {
  for (const module of WASM_MODULES) {
    test(`the committed ${module.generated} is assembled from ${module.wat} (run src/kernels/wasm/build.ts after editing)`, async () => {
      const committed = readFileSync(fileURLToPath(new URL(`./${module.generated}`, import.meta.url)), 'utf8');
      expect(committed).toBe(generatedSource(await wasmBytesFromSource(module), module));
    });
  }
  test('the online-SGD engine probe reports availability (Node 20 supports 128-bit SIMD)', () => {
    expect(probeOnlineSgdWasm()).toEqual({ available: true });
  });
});
