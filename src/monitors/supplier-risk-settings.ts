// The supplier-risk monitor's section of policies/monitors.yaml (`supplierRisk:`): when a sanctions screening
// result becomes a finding, and the exposure-weighted threshold a risk signal must reach to raise one.
import { z } from 'zod';
import { AppError } from '../errors.js';
import { STRONG_SCORE } from '../screening/screen.js';

const decimal = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .pipe(z.string().regex(/^\d{1,15}(\.\d{1,4})?$/, 'an amount such as "100000" or 100000'));

/** Contract terms that make a supplier critical: the CUAD clause types, plus service levels. */
export const CRITICAL_TERMS = ['exclusivity', 'minimum_commitment', 'liquidated_damages', 'service_levels'] as const;
export type CriticalTerm = (typeof CRITICAL_TERMS)[number];

const band = z.strictObject({ from: decimal, weight: z.number().min(0).max(10) });

export const supplierRiskSettingsSchema = z.strictObject({
  sanctions: z
    .strictObject({
      /** Screening score (0-1) at or above which a match on a primary name or strong alias is strong. */
      strongScore: z.number().min(0.8).max(1).default(STRONG_SCORE),
      /** review: a near-exact match on a distinctive weak a.k.a. raises a review finding; ignore: it does not. */
      weakAliases: z.enum(['review', 'ignore']).default('review'),
    })
    .prefault({}),
  signals: z
    .strictObject({
      /** A signal raises a finding when severity × exposure weight × criticality reaches this. */
      threshold: z.number().min(0).max(100).default(5),
      /** Signals observed in this many days up to now count; older ones resolve their findings. */
      windowDays: z.number().int().min(1).max(3650).default(90),
      /** Exposure bands in the authority matrix's currency: the weight of the highest band reached applies. */
      exposureBands: z
        .array(band)
        .min(1)
        .refine((bands) => bands[0]!.from === '0' || Number(bands[0]!.from) === 0, 'the first band must start at 0')
        .refine(
          (bands) => bands.every((b, i) => i === 0 || Number(b.from) > Number(bands[i - 1]!.from)),
          'bands must be in increasing order of from',
        )
        .default([
          { from: '0', weight: 0.5 },
          { from: '10000', weight: 1 },
          { from: '100000', weight: 1.5 },
          { from: '1000000', weight: 2 },
        ]),
      /** Multiplier for a critical supplier: an active contract with one of `criticalTerms`. */
      criticalWeight: z.number().min(1).max(5).default(1.25),
      criticalTerms: z.array(z.enum(CRITICAL_TERMS)).default([...CRITICAL_TERMS]),
    })
    .prefault({}),
});

export type SupplierRiskSettings = z.output<typeof supplierRiskSettingsSchema>;

/** The defaults, as monitors.yaml documents them. */
export const DEFAULT_SUPPLIER_RISK_SETTINGS: SupplierRiskSettings = Object.freeze(supplierRiskSettingsSchema.parse({}));

/** Validates the `supplierRisk` section (absent → defaults); throws AppError('monitors:invalid') naming each problem. */
export function parseSupplierRiskSettings(section: unknown): SupplierRiskSettings {
  if (section === undefined || section === null) return DEFAULT_SUPPLIER_RISK_SETTINGS;
  const parsed = supplierRiskSettingsSchema.safeParse(section);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `  supplierRisk.${i.path.map(String).join('.')}: ${i.message}`);
  throw new AppError(
    'monitors:invalid',
    `The supplierRisk section of monitors.yaml is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.join('\n')}`,
  );
}
