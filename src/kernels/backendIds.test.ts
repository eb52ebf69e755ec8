import { expect, test } from 'vitest';
import { BACKEND_IDS } from './backendIds.ts';
import { DESCRIBED_BACKEND_IDS } from './backends.ts';

test('the plain list of backend ids (what --backend accepts) is the descriptors’ ids in priority order, then auto and auto:f32', () => {
  expect([...BACKEND_IDS]).toEqual([...DESCRIBED_BACKEND_IDS]);
});
