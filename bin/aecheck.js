#!/usr/bin/env node
// The aecheck command. It runs the compiled JavaScript in dist/ (built by `npm ci`/`npm install` through `prepare`),
// and falls back to the TypeScript sources through tsx's loader in a checkout where dist/ is missing or older than src/.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  // Answered before anything is loaded: `aecheck --version` is instant.
  process.stdout.write(`${JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version}\n`);
  process.exit(0);
}

/** Newest modification time of the .ts files under a folder (0 when it does not exist). */
function newest(dir) {
  if (!existsSync(dir)) return 0;
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (e.name.endsWith('.ts')) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

const stamp = join(root, 'dist', '.build-stamp');
const compiled = existsSync(stamp) && statSync(stamp).mtimeMs >= newest(join(root, 'src'));
if (compiled) {
  const { main } = await import('../dist/cli/main.js');
  await main(process.argv);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../src/cli/main.ts');
  await main(process.argv);
}
