// Locates files shipped with the package (migrations, demo data, policies) from source or compiled code.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The package's root folder (the one holding package.json and migrations/). */
export function projectRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'migrations'))) {
      root = dir;
      return dir;
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the Quartermaster package root (package.json beside migrations/)');
    dir = up;
  }
}

/** A path inside the package root. */
export function projectPath(...parts: string[]): string {
  return join(projectRoot(), ...parts);
}
