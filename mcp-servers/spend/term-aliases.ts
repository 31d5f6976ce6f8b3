// The organisation's own other names for its departments and spend categories, from aliases.yaml in the policy
// folder ("ICT" for "Information Technology", "Estates" for "Facilities Management"): names the data itself cannot
// teach, unlike initials. Matching (src/domain/term-match.ts) tries an alias after an exact name and before
// initials or a part of a name. The file is optional; it is read again when it changes, so no restart is needed.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { foldTerm } from '../../src/domain/term-match.js';
import { AppError } from '../../src/errors.js';
import { parseYamlFile } from '../../src/governance/policy.js';
import { projectPath } from '../../src/paths.js';

export const ALIASES_FILE = 'aliases.yaml';

/** Folded alias → folded value, per kind of term, as `matchTerms` takes them. */
export type TermAliases = Readonly<Record<'department' | 'category', ReadonlyMap<string, string>>>;

// alias: value as the spend data spells it. An empty section (`departments:`) is no aliases.
const names = z
  .record(z.string().trim().min(1, 'an alias may not be empty'), z.string().trim().min(1, 'give the name the spend data uses'))
  .nullish()
  .transform((v) => v ?? {});
const schema = z.object({ departments: names, categories: names }).strict();

const NONE: TermAliases = { department: new Map(), category: new Map() };

/** Parses aliases.yaml text; throws AppError('aliases:invalid') listing every problem with its line. */
export function parseTermAliases(yamlText: string, source = ALIASES_FILE): TermAliases {
  const problems: string[] = [];
  const parsed = parseYamlFile(source, yamlText, schema, problems);
  if (!parsed || problems.length > 0) {
    throw new AppError('aliases:invalid', `The aliases file is invalid:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
  const folded = (m: Record<string, string>) => new Map(Object.entries(m).map(([alias, value]) => [foldTerm(alias), foldTerm(value)]));
  return { department: folded(parsed.departments), category: folded(parsed.categories) };
}

const cache = new Map<string, { version: string; aliases: TermAliases }>();

/** The aliases in `dir` (the packaged policies/ folder when unset); none when the folder has no aliases.yaml. */
export async function loadTermAliases(dir: string | undefined): Promise<TermAliases> {
  const path = join(dir ?? projectPath('policies'), ALIASES_FILE);
  const seen = await stat(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw new AppError('aliases:unreadable', `Cannot read ${path}: ${err.message}`, { cause: err });
  });
  if (!seen) return NONE;
  const version = `${seen.mtimeMs}:${seen.size}`;
  const cached = cache.get(path);
  if (cached?.version === version) return cached.aliases;
  const aliases = parseTermAliases(await readFile(path, 'utf8'), path);
  cache.set(path, { version, aliases });
  return aliases;
}
