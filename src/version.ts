// The package version, read once from package.json.
import { readFileSync } from 'node:fs';
import { projectPath } from './paths.js';

/** The running Quartermaster version. */
export const version: string = (JSON.parse(readFileSync(projectPath('package.json'), 'utf8')) as { version: string })
  .version;
