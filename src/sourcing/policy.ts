// policies/sourcing.yaml: the capability-scoring criteria and weights, a new event's evaluation criteria, the bid
// analysis thresholds and the RFx standard terms; parsed and validated like the authority matrix (every problem
// with its path and line). Weights are exact decimals that must sum to 1.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { addDecimal, compareDecimal, isDecimal } from '../domain/money.js';
import { AppError } from '../errors.js';
import { parseYamlFile } from '../governance/policy.js';

export const SOURCING_FILE = 'sourcing.yaml';

export const CAPABILITY_KEYS = ['category_experience', 'price_compliance', 'invoice_accuracy', 'delivery', 'risk'] as const;
export type CapabilityKey = (typeof CAPABILITY_KEYS)[number];

const fraction = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .refine((v) => isDecimal(v) && compareDecimal(v, '0') >= 0 && compareDecimal(v, '1') <= 0, 'must be a decimal between 0 and 1, such as "0.25"');

function sumsToOne(items: readonly { weight: string }[]): boolean {
  return compareDecimal(items.reduce((s, i) => addDecimal(s, i.weight), '0'), '1') === 0;
}

const uniqueKeys = (items: readonly { key: string }[]) => new Set(items.map((i) => i.key)).size === items.length;

const schema = z.strictObject({
  capability: z
    .strictObject({
      criteria: z
        .array(z.strictObject({ key: z.enum(CAPABILITY_KEYS), weight: fraction }))
        .min(1)
        .refine(uniqueKeys, 'each criterion may appear once')
        .refine(sumsToOne, 'the weights must sum to 1'),
      concentrationWarning: fraction.default('0.5'),
    }),
  evaluation: z
    .array(z.strictObject({ key: z.string().regex(/^[a-z][a-z0-9_]{0,40}$/, 'a short lower-case key such as price'), label: z.string().min(1).max(200), weight: fraction }))
    .min(1)
    .refine(uniqueKeys, 'each criterion may appear once')
    .refine(sumsToOne, 'the weights must sum to 1'),
  bids: z
    .strictObject({
      unbalancedRatio: z
        .union([z.string(), z.number()])
        .transform((v) => String(v).trim())
        .refine((v) => isDecimal(v) && compareDecimal(v, '1') > 0, 'must be a decimal above 1, such as "2"')
        .default('2'),
      highRiskSeverity: z.number().int().min(1).max(5).default(4),
    })
    .prefault({}),
  rfx: z
    .strictObject({
      responseDays: z.number().int().min(1).max(365).default(21),
      standardTerms: z.array(z.string().min(1).max(2000)).default([]),
    })
    .prefault({}),
});

export type SourcingPolicy = z.output<typeof schema>;

/** Parses sourcing.yaml text; throws AppError('sourcing:policy') listing every problem with its line. */
export function parseSourcingPolicy(yamlText: string, source = SOURCING_FILE): SourcingPolicy {
  const problems: string[] = [];
  const parsed = parseYamlFile(source, yamlText, schema, problems);
  if (!parsed || problems.length > 0) {
    throw new AppError('sourcing:policy', `The sourcing policy is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
  return parsed;
}

/** Reads sourcing.yaml from the policy folder `dir`. */
export async function loadSourcingPolicy(dir: string): Promise<SourcingPolicy> {
  const path = join(dir, SOURCING_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new AppError('sourcing:policy', `Cannot read ${path}: ${(err as Error).message}. Copy policies/${SOURCING_FILE} from the distribution or set QM_POLICY_DIR.`, { cause: err });
  }
  return parseSourcingPolicy(text, path);
}
