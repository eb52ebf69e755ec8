/**
 * Every backend id, in priority order, then the composites `auto` and `auto:f32`: a plain list, so that the CLI's
 * option parsing can name the valid `--backend` values without loading the backends themselves (gpu.js, koffi, the
 * wasm module). `backends.ts` checks at load that it matches the descriptors, and `backendIds.test.ts` that it does.
 */
export const BACKEND_IDS = [
  'reference',
  'wasm',
  'openblas',
  'openblas:f32',
  'gpujs:cpu',
  'gpujs:webasm',
  'gpujs:headlessgl',
  'gpujs:webgpu',
  'auto',
  'auto:f32',
] as const satisfies readonly [string, ...string[]];
