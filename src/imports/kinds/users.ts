// Users: people who request, buy, receive and approve, with their roles and chat identities.
import { z } from 'zod';
import { ChatIdentityTaken } from '../../db/chat-identities.js';
import { upsertUser } from '../../db/master-data.js';
import type { Importer } from '../context.js';
import { email, optional, text, validate } from '../fields.js';
import type { FieldSpec } from '../mapping.js';
import { isTabularFile } from '../records.js';
import { importRowByRow } from './master-rows.js';

/** Roles the product knows; the authority matrix refers to them. */
export const USER_ROLES = [
  'requester',
  'buyer',
  'receiver',
  'approver',
  'budget_holder',
  'finance',
  'cfo',
  'legal',
  'compliance',
  'procurement_manager',
  'admin',
] as const;

export const userFields: FieldSpec = {
  email: { required: true, aliases: ['email', 'email address', 'e-mail', 'mail', 'upn', 'user principal name'] },
  name: { required: true, aliases: ['name', 'full name', 'display name', 'user name', 'employee name'] },
  roles: { aliases: ['roles', 'role', 'groups'] },
  department: { aliases: ['department', 'dept', 'business unit', 'division'] },
  title: { aliases: ['title', 'job title', 'position'] },
  manager_email: { aliases: ['manager email', 'manager', 'line manager', 'reports to'] },
  slack_user_id: { aliases: ['slack user id', 'slack id', 'slack'] },
  teams_aad_object_id: { aliases: ['teams aad object id', 'aad object id', 'azure ad object id', 'entra object id', 'object id'] },
  active: { aliases: ['active', 'enabled'] },
};

const roles = z.string().transform((s, ctx) => {
  const list = s
    .split(/[;,|]/)
    .map((r) => r.trim().toLowerCase().replace(/[\s-]+/g, '_'))
    .filter(Boolean);
  const unknown = list.filter((r) => !(USER_ROLES as readonly string[]).includes(r));
  if (unknown.length > 0) {
    ctx.addIssue({ code: 'custom', message: `unknown role ${unknown.join(', ')} (known: ${USER_ROLES.join(', ')})` });
    return z.NEVER;
  }
  return [...new Set(list)];
});

const schema = z.object({
  email: email(),
  name: text('missing name', 300),
  roles: optional(roles),
  department: optional(z.string().trim().max(200)),
  title: optional(z.string().trim().max(200)),
  manager_email: optional(email()),
  slack_user_id: optional(
    z
      .string()
      .trim()
      .regex(/^[UW][A-Z0-9]{2,}$/, 'a Slack user id looks like U0123ABCD'),
  ),
  teams_aad_object_id: optional(
    z
      .string()
      .trim()
      .regex(/^[0-9a-fA-F-]{36}$/, 'an AAD object id is a GUID'),
  ),
  active: optional(
    z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.enum(['true', 'false', 'yes', 'no', '1', '0', 'y', 'n'], { error: 'active must be yes or no' }))
      .transform((v) => ['true', 'yes', '1', 'y'].includes(v)),
  ),
});

function explain(err: unknown): string {
  if (err instanceof ChatIdentityTaken) {
    return err.identity.platform === 'slack'
      ? 'this Slack user id already belongs to another user'
      : 'this Teams (AAD) object id already belongs to another user';
  }
  return (err as Error).message;
}

/** Imports users by email (insert or update), with roles and Slack/Teams identities (into chat_identities). */
export const usersImporter: Importer = {
  kind: 'users',
  accepts: isTabularFile,
  importFile: (ctx, path) =>
    importRowByRow(
      ctx,
      path,
      userFields,
      (values) => {
        const v = validate(schema, values);
        return v.ok ? { ok: true, value: { ...v.value, roles: v.value.roles ?? ['requester'] } } : v;
      },
      (conn, row) => upsertUser(conn, row),
      explain,
    ),
};
