// The policy: the authority matrix and the autonomy settings, parsed from their two YAML files, validated,
// normalised and identified by a content hash. The version hashes the canonical JSON of the parsed content,
// so comments, key order and spelling (10000 vs "10000.00") do not change it, while any change of meaning
// does. Parsing reports every problem at once, each with its file, path and line.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { canonicalJson } from '../domain/canonical-json.js';
import { AppError } from '../errors.js';
import { authoritySchema, autonomySchema } from './policy-schema.js';
import type { AuthorityMatrix, AuthorityRule, AutonomySettings } from './types.js';

export const AUTHORITY_FILE = 'authority.yaml';
export const AUTONOMY_FILE = 'autonomy.yaml';

export type Policy = {
  /** 'sha256:' + hex sha256 of canonicalJson({ authority, autonomy }). */
  version: string;
  authority: AuthorityMatrix;
  autonomy: AutonomySettings;
  /** Where the policy came from (the folder it was loaded from, or what the caller says). */
  source: string;
};

/** `rules[3].levels[0].roles` from ['rules', 3, 'levels', 0, 'roles']. */
function pathText(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out;
}

/** Parses one YAML file and validates it, collecting problems as `file path (line n): message`. */
export function parseYamlFile<S extends z.ZodType>(file: string, yamlText: string, schema: S, problems: string[]): z.output<S> | undefined {
  const lines = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: lines, prettyErrors: true });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const at = e.linePos?.[0];
      const where = at ? ` line ${at.line}, column ${at.col}` : '';
      problems.push(`${file}${where}: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?\s*$/, '')}`);
    }
    return undefined;
  }
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) {
    problems.push(`${file}: the file is empty`);
    return undefined;
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    const path = issue.path;
    const line = lineOf(doc, lines, path);
    const where = path.length > 0 ? ` ${pathText(path)}` : '';
    problems.push(`${file}${where}${line ? ` (line ${line})` : ''}: ${issue.message}`);
  }
  return undefined;
}

/** The line of the deepest node along `path` that exists in the document. */
function lineOf(doc: ReturnType<typeof parseDocument>, lines: LineCounter, path: readonly PropertyKey[]): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n) as unknown[], true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
  }
  return undefined;
}

/** Parses and validates the two policy files; throws AppError('policy:invalid') listing every problem. */
export function parsePolicy(authorityYaml: string, autonomyYaml: string, source: string): Policy {
  const problems: string[] = [];
  const authority = parseYamlFile(AUTHORITY_FILE, authorityYaml, authoritySchema, problems);
  const autonomy = parseYamlFile(AUTONOMY_FILE, autonomyYaml, autonomySchema, problems);
  if (!authority || !autonomy || problems.length > 0) {
    throw new AppError(
      'policy:invalid',
      `The policy in ${source} is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
  }
  const version = `sha256:${createHash('sha256').update(canonicalJson({ authority, autonomy })).digest('hex')}`;
  return deepFreeze({ version, authority, autonomy, source });
}

async function readPolicyFile(dir: string, file: string): Promise<string | undefined> {
  try {
    return await readFile(join(dir, file), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AppError('policy:unreadable', `Cannot read ${join(dir, file)}: ${(err as Error).message}`, { cause: err });
  }
}

/** Reads authority.yaml and autonomy.yaml from `dir`; throws AppError 'policy:missing' or 'policy:invalid'. */
export async function loadPolicy(dir: string): Promise<Policy> {
  const [authority, autonomy] = await Promise.all([readPolicyFile(dir, AUTHORITY_FILE), readPolicyFile(dir, AUTONOMY_FILE)]);
  const missing = [authority === undefined ? AUTHORITY_FILE : '', autonomy === undefined ? AUTONOMY_FILE : ''].filter(Boolean);
  if (authority === undefined || autonomy === undefined) {
    throw new AppError(
      'policy:missing',
      `No ${missing.join(' or ')} in ${dir}. Governance needs both files; copy them from the policies/ folder of the distribution or set QM_POLICY_DIR to the folder that holds them.`,
    );
  }
  return parsePolicy(authority, autonomy, dir);
}

/** The rule with this id, if the policy has one. */
export function ruleById(policy: Policy, id: string): AuthorityRule | undefined {
  return policy.authority.rules.find((r) => r.id === id);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
