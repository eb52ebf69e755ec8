/**
 * The gpu.js backends, one descriptor per mode (float32). Each probe first loads the mode's native module (so the reason
 * names the missing piece and its fix), then creates the backend and runs the shared smoke GEMMs (small integers, every
 * transpose, α and β: exact in float32).
 */
import { createRequire } from 'node:module';
import type { BackendDescriptor, BackendProbe } from '../kernelSpecs.ts';
import { firstLine, probeByGemm } from '../probeGemm.ts';
import { createGpujsBackend } from './createGpujsBackend.ts';
import type { GpujsMode } from './gpujsContext.ts';

const require = createRequire(import.meta.url);

/** A precise reason why a mode's native dependency cannot load, or undefined when it loads. */
function nativeModuleProblem(mode: GpujsMode): string | undefined {
  if (mode === 'headlessgl') {
    try {
      const gl = require('gl') as (w: number, h: number) => unknown;
      const context = gl(1, 1);
      if (!context) {
        return 'the gl module loaded but could not create a WebGL context: no X display (run under `xvfb-run -a`)';
      }
    } catch (e) {
      return `the optional gl module is not built or cannot load (run \`bash .ci/setup-gl.sh\`): ${firstLine(e)}`;
    }
  }
  if (mode === 'webgpu') {
    try {
      require('webgpu');
    } catch (e) {
      return `the webgpu module (Dawn) cannot load on this system: ${firstLine(e)}`;
    }
  }
  return undefined;
}

function probeMode(mode: GpujsMode): BackendProbe {
  const problem = nativeModuleProblem(mode);
  if (problem) return { available: false, reason: problem };
  return probeByGemm(() => {
    try {
      return createGpujsBackend(mode);
    } catch (e) {
      throw new Error(`gpu.js cannot create mode '${mode}': ${firstLine(e)}`);
    }
  }, `gpu.js mode '${mode}'`);
}

/** Listing order of the modes (after the CPU backends). */
const MODES: readonly GpujsMode[] = ['cpu', 'webasm', 'headlessgl', 'webgpu'];
/** Priority of the first mode; the others follow. */
const GPUJS_PRIORITY = 30;

/** One descriptor per gpu.js mode. */
export const gpujsDescriptors: readonly BackendDescriptor[] = MODES.map((mode, i) => ({
  id: `gpujs:${mode}`,
  precision: 'float32',
  priority: GPUJS_PRIORITY + i,
  create: () => createGpujsBackend(mode),
  probe: () => probeMode(mode),
}));
