// Node strips types from .ts natively but cannot parse JSX, so .tsx modules are compiled
// in-process by esbuild (synchronous hook, same thread). Nothing is written to disk.

import { readFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';

registerHooks({
  load(url, context, nextLoad) {
    if (!url.startsWith('file:') || !url.endsWith('.tsx')) return nextLoad(url, context);
    const source = readFileSync(fileURLToPath(url), 'utf8');
    const { code } = transformSync(source, {
      loader: 'tsx',
      format: 'esm',
      jsx: 'automatic',
      jsxImportSource: 'preact',
      sourcemap: 'inline',
      sourcefile: fileURLToPath(url),
      target: 'node24',
    });
    return { format: 'module', source: code, shortCircuit: true };
  },
});
