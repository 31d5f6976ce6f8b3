// Supplier master data: creates suppliers or completes the ones already known under the same name or id.
import { z } from 'zod';
import { upsertSupplier } from '../../db/master-data.js';
import type { Importer } from '../context.js';
import { optional, text, validate } from '../fields.js';
import type { FieldSpec } from '../mapping.js';
import { isTabularFile } from '../records.js';
import { importRowByRow } from './master-rows.js';

export const supplierFields: FieldSpec = {
  name: {
    required: true,
    aliases: ['name', 'supplier', 'supplier name', 'vendor', 'vendor name', 'company', 'company name', 'legal name'],
  },
  external_id: {
    aliases: ['external id', 'supplier id', 'supplier number', 'supplier no', 'vendor id', 'vendor number', 'vendor no', 'id'],
  },
  country: { aliases: ['country', 'country code', 'country of registration'] },
  tax_id: { aliases: ['tax id', 'vat number', 'vat no', 'vat registration', 'tax number', 'company number', 'ein', 'tin'] },
  category: { aliases: ['category', 'category code', 'unspsc', 'unspsc code', 'commodity code'] },
  email: { aliases: ['email', 'contact email', 'e-mail', 'email address'] },
  status: { aliases: ['status', 'supplier status'] },
  aliases: { aliases: ['aliases', 'alias', 'trading name', 'trading as', 'other names', 'aka'] },
};

const cell = (max = 500) => optional(z.string().trim().max(max, `longer than ${max} characters`));

const schema = z.object({
  name: text('missing name', 500),
  external_id: cell(200),
  country: cell(100),
  tax_id: cell(100),
  category: cell(50),
  email: optional(z.string().trim().toLowerCase().pipe(z.email({ error: 'not an email address' }))),
  status: optional(
    z
      .string()
      .trim()
      .toLowerCase()
      .transform((s) => s.replace(/[\s-]+/g, '_'))
      .pipe(z.enum(['active', 'on_hold', 'blocked', 'inactive'], { error: 'status must be active, on hold, blocked or inactive' })),
  ),
  aliases: optional(
    z
      .string()
      .transform((s) => s.split(/[;|]/).map((a) => a.trim()).filter(Boolean)),
  ),
});

/** Imports supplier master records (name, ids, country, tax id, category, contact, status, aliases). */
export const suppliersImporter: Importer = {
  kind: 'suppliers',
  accepts: isTabularFile,
  importFile: (ctx, path) =>
    importRowByRow(
      ctx,
      path,
      supplierFields,
      (values) => validate(schema, values),
      (conn, row) => upsertSupplier(conn, row),
    ),
};
