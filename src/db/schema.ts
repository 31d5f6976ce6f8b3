// The procurement data model. Money is `numeric` (read back as decimal strings), never a float; every
// amount travels with an explicit ISO 4217 currency. Migrations are generated from this file by drizzle-kit.
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  char,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  serial,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const money = (name: string) => numeric(name, { precision: 20, scale: 4 });
const quantity = (name: string) => numeric(name, { precision: 18, scale: 4 });
const currency = (name = 'currency') => char(name, { length: 3 });
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

/** One run of `qm import`: what was read, what landed, what was rejected. */
export const importBatches = pgTable('import_batches', {
  id: serial('id').primaryKey(),
  kind: text('kind').notNull(),
  sourceFile: text('source_file').notNull(),
  status: text('status', { enum: ['running', 'completed', 'failed', 'undone'] }).notNull().default('running'),
  read: integer('read').notNull().default(0),
  imported: integer('imported').notNull().default(0),
  duplicates: integer('duplicates').notNull().default(0),
  rejectedCount: integer('rejected_count').notNull().default(0),
  options: jsonb('options').$type<Record<string, unknown>>().notNull().default({}),
  error: text('error'),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
});

/** A row an import refused, with the file line an editor shows (a CSV header is line 1) and why. */
export const importRejections = pgTable(
  'import_rejections',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    batchId: integer('batch_id')
      .notNull()
      .references(() => importBatches.id, { onDelete: 'cascade' }),
    line: integer('line').notNull(),
    reason: text('reason').notNull(),
    raw: text('raw'),
  },
  (t) => [index('import_rejections_batch_idx').on(t.batchId, t.line)],
);

/** Category tree: UNSPSC segment > family > class > commodity, plus custom categories. */
export const categories = pgTable(
  'categories',
  {
    code: text('code').primaryKey(),
    scheme: text('scheme', { enum: ['unspsc', 'custom'] }).notNull().default('unspsc'),
    level: text('level', { enum: ['segment', 'family', 'class', 'commodity', 'custom'] }).notNull(),
    title: text('title').notNull(),
    parentCode: text('parent_code'),
  },
  (t) => [index('categories_parent_idx').on(t.parentCode)],
);

/** Supplier master record. `normalizedName` drops case, punctuation and legal suffixes. */
export const suppliers = pgTable(
  'suppliers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    externalId: text('external_id'),
    name: text('name').notNull(),
    normalizedName: text('normalized_name').notNull(),
    country: text('country'),
    taxId: text('tax_id'),
    categoryCode: text('category_code'),
    email: text('email'),
    status: text('status', { enum: ['active', 'on_hold', 'blocked', 'inactive', 'prospect'] })
      .notNull()
      .default('active'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('suppliers_external_id_uq').on(t.externalId),
    index('suppliers_normalized_idx').on(t.normalizedName),
  ],
);

/** Every raw spelling seen for a supplier; resolution goes raw name → alias → supplier. */
export const supplierAliases = pgTable(
  'supplier_aliases',
  {
    id: serial('id').primaryKey(),
    supplierId: uuid('supplier_id')
      .notNull()
      .references(() => suppliers.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    normalizedName: text('normalized_name').notNull(),
    source: text('source').notNull().default('import'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('supplier_aliases_name_uq').on(t.name), index('supplier_aliases_norm_idx').on(t.normalizedName)],
);

/** People: requesters, buyers, receivers, approvers; with their chat identities and roles. */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    roles: text('roles').array().notNull().default(sql`'{}'::text[]`),
    department: text('department'),
    title: text('title'),
    managerEmail: text('manager_email'),
    slackUserId: text('slack_user_id'),
    teamsAadObjectId: text('teams_aad_object_id'),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('users_email_uq').on(t.email),
    uniqueIndex('users_slack_uq').on(t.slackUserId),
    uniqueIndex('users_teams_uq').on(t.teamsAadObjectId),
  ],
);

/** An approver hands their authority to another user for a date range (out of office). */
export const delegations = pgTable('delegations', {
  id: serial('id').primaryKey(),
  fromUserId: uuid('from_user_id')
    .notNull()
    .references(() => users.id),
  toUserId: uuid('to_user_id')
    .notNull()
    .references(() => users.id),
  startsOn: date('starts_on').notNull(),
  endsOn: date('ends_on').notNull(),
  reason: text('reason'),
  createdAt: createdAt(),
});

/** An imported payment/spend transaction, traceable to the file and line it came from. */
export const spendLines = pgTable(
  'spend_lines',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    // Hash of the row's canonical content, and its occurrence number among identical rows of one file.
    dedupHash: uuid('dedup_hash').notNull(),
    dedupSeq: integer('dedup_seq').notNull(),
    // No foreign key: a per-row check on a million-row load costs seconds and the batch row is written first.
    batchId: integer('batch_id'),
    sourceFile: text('source_file'),
    sourceLine: integer('source_line'),
    // Every line names a stored supplier, checked once per statement rather than by a foreign key's per-row check
    // (a third of a large import's insert time): migrations/0025, which also keeps suppliers named by lines.
    supplierId: uuid('supplier_id').notNull(),
    supplierName: text('supplier_name').notNull(),
    date: date('date').notNull(),
    amount: money('amount').notNull(),
    currency: currency().notNull(),
    category: text('category'),
    categoryCode: text('category_code'),
    department: text('department'),
    costCentre: text('cost_centre'),
    description: text('description'),
    invoiceNumber: text('invoice_number'),
    poNumber: text('po_number'),
    externalId: text('external_id'),
    createdAt: createdAt(),
  },
  (t) => [
    // Date first: a file's rows land near each other in the index instead of scattering over random hash keys.
    // It also serves date ranges, so there is no index on the date alone; totals by period come from the rollups,
    // so no covering (currency, date, amount) index either: each index costs every import its maintenance or rebuild.
    // The index also carries (INCLUDE) supplier_id, currency, amount, category and category_code, so supplier
    // rankings read the days at the ends of a range from it alone: migrations/0022, as drizzle cannot express INCLUDE.
    uniqueIndex('spend_lines_dedup_uq').on(t.date, t.dedupHash, t.dedupSeq),
    index('spend_lines_supplier_date_idx').on(t.supplierId, t.date),
  ],
);

/**
 * Spend per currency, month, category and department: what period, category and department questions read
 * instead of every line. Kept equal to spend_lines by statement triggers (migrations/0015), so every insert and
 * delete of spend lines, whoever makes it, moves the totals in the same transaction.
 */
export const spendMonthRollup = pgTable(
  'spend_month_rollup',
  {
    currency: currency().notNull(),
    month: date('month').notNull(),
    category: text('category'),
    categoryCode: text('category_code'),
    department: text('department'),
    total: numeric('total').notNull(),
    lines: integer('lines').notNull(),
  },
  (t) => [unique('spend_month_rollup_key').on(t.currency, t.month, t.category, t.categoryCode, t.department).nullsNotDistinct()],
);

/**
 * Spend per supplier, month, currency and category, kept like spend_month_rollup: supplier rankings (with or
 * without a category filter), one supplier's trend and one supplier's categories. No department: a supplier
 * usually sells one category to several departments, and the key would multiply.
 */
export const spendSupplierMonthRollup = pgTable(
  'spend_supplier_month_rollup',
  {
    supplierId: uuid('supplier_id')
      .notNull()
      .references(() => suppliers.id),
    month: date('month').notNull(),
    currency: currency().notNull(),
    category: text('category'),
    categoryCode: text('category_code'),
    total: numeric('total').notNull(),
    lines: integer('lines').notNull(),
  },
  (t) => [
    unique('spend_supplier_month_rollup_key')
      .on(t.supplierId, t.month, t.currency, t.category, t.categoryCode)
      .nullsNotDistinct(),
    // Every column, month first: supplier rankings over a run of months read this index alone, in month order,
    // instead of rows scattered over the table as the keys first appeared.
    index('spend_supplier_month_rollup_month_cover_idx').on(
      t.month,
      t.supplierId,
      t.currency,
      t.category,
      t.categoryCode,
      t.total,
      t.lines,
    ),
  ],
);

/**
 * Spend per day, currency, category and department, kept like spend_month_rollup (migrations/0019): the days at
 * either end of a date range that cuts months, so such a question reads a few thousand rows instead of the lines.
 */
export const spendDayRollup = pgTable(
  'spend_day_rollup',
  {
    date: date('date').notNull(),
    currency: currency().notNull(),
    category: text('category'),
    categoryCode: text('category_code'),
    department: text('department'),
    total: numeric('total').notNull(),
    lines: integer('lines').notNull(),
  },
  // Date first: questions read a range of days.
  (t) => [unique('spend_day_rollup_key').on(t.date, t.currency, t.category, t.categoryCode, t.department).nullsNotDistinct()],
);

/**
 * Spend per supplier, year, currency and category, kept like spend_month_rollup: supplier rankings (with or
 * without a category filter) over whole years.
 */
export const spendSupplierYearRollup = pgTable(
  'spend_supplier_year_rollup',
  {
    supplierId: uuid('supplier_id')
      .notNull()
      .references(() => suppliers.id),
    year: date('year').notNull(),
    currency: currency().notNull(),
    category: text('category'),
    categoryCode: text('category_code'),
    total: numeric('total').notNull(),
    lines: integer('lines').notNull(),
  },
  (t) => [
    unique('spend_supplier_year_rollup_key')
      .on(t.year, t.supplierId, t.currency, t.category, t.categoryCode)
      .nullsNotDistinct(),
  ],
);

/**
 * Spend per supplier and currency over all time, kept like spend_month_rollup: "who are our largest suppliers",
 * asked without a period or a category, reads one row per supplier and currency.
 */
export const spendSupplierRollup = pgTable(
  'spend_supplier_rollup',
  {
    supplierId: uuid('supplier_id')
      .notNull()
      .references(() => suppliers.id),
    currency: currency().notNull(),
    total: numeric('total').notNull(),
    lines: integer('lines').notNull(),
  },
  (t) => [primaryKey({ columns: [t.supplierId, t.currency] })],
);

/**
 * Spend per supplier, quarter and currency (no category), kept like spend_month_rollup: a supplier ranking over a
 * range reads whole quarters here between its whole years and its end months, about 39k rows a quarter against
 * 33k a month in the supplier-month rollup at 10M lines and 20k suppliers (half the rows for a year that cuts
 * months). The key's index also carries total and lines (migration 0026), so quarters are read from it alone.
 */
export const spendSupplierQuarterRollup = pgTable(
  'spend_supplier_quarter_rollup',
  {
    quarter: date('quarter').notNull(),
    supplierId: uuid('supplier_id')
      .notNull()
      .references(() => suppliers.id),
    currency: currency().notNull(),
    total: numeric('total').notNull(),
    lines: integer('lines').notNull(),
  },
  (t) => [primaryKey({ columns: [t.quarter, t.supplierId, t.currency] })],
);

/** Contracts with their full text and commercial terms. */
export const contracts = pgTable(
  'contracts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    contractNumber: text('contract_number'),
    title: text('title').notNull(),
    supplierId: uuid('supplier_id').references(() => suppliers.id),
    status: text('status', { enum: ['draft', 'active', 'expired', 'terminated'] }).notNull().default('active'),
    startDate: date('start_date'),
    endDate: date('end_date'),
    value: money('value'),
    currency: currency(),
    noticePeriodDays: integer('notice_period_days'),
    autoRenew: boolean('auto_renew'),
    renewalTerm: text('renewal_term'),
    governingLaw: text('governing_law'),
    categoryCode: text('category_code'),
    ownerEmail: text('owner_email'),
    fullText: text('full_text'),
    textSha256: text('text_sha256'),
    sourceFile: text('source_file'),
    batchId: integer('batch_id').references(() => importBatches.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('contracts_number_uq').on(t.contractNumber),
    uniqueIndex('contracts_text_sha_uq').on(t.textSha256),
    index('contracts_supplier_idx').on(t.supplierId),
    index('contracts_end_date_idx').on(t.endDate),
  ],
);

/** Contracted unit prices (the reference for price-variance checks). */
export const contractPrices = pgTable(
  'contract_prices',
  {
    id: serial('id').primaryKey(),
    contractId: uuid('contract_id')
      .notNull()
      .references(() => contracts.id, { onDelete: 'cascade' }),
    sku: text('sku'),
    description: text('description').notNull(),
    categoryCode: text('category_code'),
    unit: text('unit'),
    unitPrice: money('unit_price').notNull(),
    currency: currency().notNull(),
  },
  (t) => [index('contract_prices_contract_idx').on(t.contractId)],
);

/** Clauses extracted from contract text (termination, renewal, notice, liability, SLA...). */
export const contractClauses = pgTable(
  'contract_clauses',
  {
    id: serial('id').primaryKey(),
    contractId: uuid('contract_id')
      .notNull()
      .references(() => contracts.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    text: text('text').notNull(),
    value: text('value'),
    startOffset: integer('start_offset'),
    endOffset: integer('end_offset'),
  },
  (t) => [index('contract_clauses_contract_idx').on(t.contractId, t.kind)],
);

/** Purchase order header. */
export const purchaseOrders = pgTable(
  'purchase_orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    poNumber: text('po_number').notNull(),
    supplierId: uuid('supplier_id')
      .notNull()
      .references(() => suppliers.id),
    contractId: uuid('contract_id').references(() => contracts.id),
    status: text('status', { enum: ['draft', 'open', 'partially_received', 'received', 'closed', 'cancelled'] })
      .notNull()
      .default('open'),
    orderDate: date('order_date').notNull(),
    currency: currency().notNull(),
    total: money('total').notNull().default('0'),
    requesterEmail: text('requester_email'),
    buyerEmail: text('buyer_email'),
    department: text('department'),
    categoryCode: text('category_code'),
    batchId: integer('batch_id').references(() => importBatches.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('purchase_orders_number_uq').on(t.poNumber), index('purchase_orders_supplier_idx').on(t.supplierId)],
);

/** Purchase order line. */
export const purchaseOrderLines = pgTable(
  'purchase_order_lines',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    poId: uuid('po_id')
      .notNull()
      .references(() => purchaseOrders.id, { onDelete: 'cascade' }),
    lineNo: integer('line_no').notNull(),
    description: text('description').notNull(),
    sku: text('sku'),
    categoryCode: text('category_code'),
    quantity: quantity('quantity').notNull(),
    unit: text('unit'),
    unitPrice: money('unit_price').notNull(),
    amount: money('amount').notNull(),
  },
  (t) => [uniqueIndex('purchase_order_lines_uq').on(t.poId, t.lineNo)],
);

/** Goods receipt against one PO line. */
export const goodsReceipts = pgTable(
  'goods_receipts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    receiptNumber: text('receipt_number').notNull(),
    poLineId: uuid('po_line_id')
      .notNull()
      .references(() => purchaseOrderLines.id, { onDelete: 'cascade' }),
    quantity: quantity('quantity').notNull(),
    receivedOn: date('received_on').notNull(),
    receiverEmail: text('receiver_email'),
    batchId: integer('batch_id').references(() => importBatches.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('goods_receipts_uq').on(t.receiptNumber, t.poLineId)],
);

/** Supplier invoice header. */
export const invoices = pgTable(
  'invoices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    invoiceNumber: text('invoice_number').notNull(),
    supplierId: uuid('supplier_id')
      .notNull()
      .references(() => suppliers.id),
    poId: uuid('po_id').references(() => purchaseOrders.id),
    poNumber: text('po_number'),
    invoiceDate: date('invoice_date').notNull(),
    dueDate: date('due_date'),
    currency: currency().notNull(),
    total: money('total').notNull().default('0'),
    status: text('status', { enum: ['received', 'matched', 'held', 'approved', 'paid', 'rejected'] })
      .notNull()
      .default('received'),
    batchId: integer('batch_id').references(() => importBatches.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('invoices_supplier_number_uq').on(t.supplierId, t.invoiceNumber),
    index('invoices_po_idx').on(t.poId),
  ],
);

/** Invoice line, optionally pointing at the PO line it bills. */
export const invoiceLines = pgTable(
  'invoice_lines',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id, { onDelete: 'cascade' }),
    lineNo: integer('line_no').notNull(),
    poLineNo: integer('po_line_no'),
    description: text('description').notNull(),
    quantity: quantity('quantity').notNull(),
    unitPrice: money('unit_price').notNull(),
    amount: money('amount').notNull(),
  },
  (t) => [uniqueIndex('invoice_lines_uq').on(t.invoiceId, t.lineNo)],
);

/** One imported version of a sanctions list (e.g. OFAC SDN as published on a date). */
export const sanctionsLists = pgTable(
  'sanctions_lists',
  {
    id: serial('id').primaryKey(),
    source: text('source').notNull(),
    version: text('version').notNull(),
    sha256: text('sha256').notNull(),
    entryCount: integer('entry_count').notNull().default(0),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('sanctions_lists_source_sha_uq').on(t.source, t.sha256)],
);

/** A sanctioned party as listed in one list version. */
export const sanctionsEntries = pgTable(
  'sanctions_entries',
  {
    id: serial('id').primaryKey(),
    listId: integer('list_id')
      .notNull()
      .references(() => sanctionsLists.id, { onDelete: 'cascade' }),
    entryId: text('entry_id').notNull(),
    name: text('name').notNull(),
    normalizedName: text('normalized_name').notNull(),
    entryType: text('entry_type').notNull(),
    programs: text('programs').array().notNull().default(sql`'{}'::text[]`),
    title: text('title'),
    remarks: text('remarks'),
    sourceLine: integer('source_line'),
  },
  (t) => [uniqueIndex('sanctions_entries_uq').on(t.listId, t.entryId), index('sanctions_entries_norm_idx').on(t.normalizedName)],
);

/** Every name of a sanctioned party (primary and a.k.a./f.k.a./n.k.a.), for screening. */
export const sanctionsNames = pgTable(
  'sanctions_names',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    entryId: integer('entry_id')
      .notNull()
      .references(() => sanctionsEntries.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    normalizedName: text('normalized_name').notNull(),
    kind: text('kind', { enum: ['primary', 'aka', 'fka', 'nka'] }).notNull(),
    strength: text('strength', { enum: ['strong', 'weak'] }).notNull().default('strong'),
  },
  (t) => [index('sanctions_names_norm_idx').on(t.normalizedName), index('sanctions_names_entry_idx').on(t.entryId)],
);

/** A risk signal about a supplier (financial, geopolitical, regulatory, operational...). */
export const riskSignals = pgTable(
  'risk_signals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    externalId: text('external_id'),
    supplierId: uuid('supplier_id').references(() => suppliers.id),
    supplierName: text('supplier_name').notNull(),
    kind: text('kind', { enum: ['financial', 'geopolitical', 'regulatory', 'operational', 'sanctions', 'other'] }).notNull(),
    severity: integer('severity').notNull(),
    title: text('title').notNull(),
    detail: text('detail'),
    source: text('source'),
    observedAt: timestamp('observed_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('risk_signals_external_uq').on(t.externalId), index('risk_signals_supplier_idx').on(t.supplierId)],
);

/** One orchestrator turn: the message, the plan, every agent's tool calls, the reply and its rationale. */
export const conversationTurns = pgTable(
  'conversation_turns',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: text('conversation_id').notNull(),
    channel: text('channel').notNull(),
    userEmail: text('user_email'),
    text: text('text').notNull(),
    planner: text('planner').notNull(),
    plan: jsonb('plan').$type<Record<string, unknown>>().notNull(),
    agents: jsonb('agents').$type<unknown[]>().notNull(),
    reply: jsonb('reply').$type<Record<string, unknown>>().notNull(),
    /** Usage reported by the LLM provider, when one planned the turn. */
    tokens: jsonb('tokens').$type<Record<string, number>>(),
    durationMs: integer('duration_ms').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('conversation_turns_conversation_idx').on(t.conversationId, t.createdAt)],
);

// ── Governance, approvals, actions and the audit ledger ──────────────────────────────────────────────

/** Every authority matrix + autonomy settings ever loaded, by content hash, so old decisions stay explainable. */
export const policyVersions = pgTable('policy_versions', {
  version: text('version').primaryKey(),
  authority: jsonb('authority').$type<Record<string, unknown>>().notNull(),
  autonomy: jsonb('autonomy').$type<Record<string, unknown>>().notNull(),
  source: text('source').notNull(),
  loadedAt: timestamp('loaded_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A request for a human decision on a proposed action, routed by the authority matrix. */
export const approvals = pgTable(
  'approvals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Short number people type: `qm approvals approve 12`. */
    number: serial('number').notNull(),
    status: text('status', { enum: ['pending', 'approved', 'rejected', 'expired', 'cancelled'] })
      .notNull()
      .default('pending'),
    actionKind: text('action_kind').notNull(),
    /** The proposed action exactly as governance saw it. */
    action: jsonb('action').$type<Record<string, unknown>>().notNull(),
    summary: text('summary').notNull(),
    amount: money('amount'),
    currency: currency(),
    supplierId: uuid('supplier_id').references(() => suppliers.id),
    categoryCode: text('category_code'),
    requesterUserId: uuid('requester_user_id').references(() => users.id),
    /** Who asked, as given (email or chat identity), even when not a known user. */
    requester: text('requester').notNull(),
    /** The agent (or person) that proposed the action, and the planner/model behind it. */
    proposedBy: text('proposed_by').notNull(),
    planner: text('planner'),
    ruleId: text('rule_id').notNull(),
    reason: text('reason').notNull(),
    /** The agent's autonomy envelope the proposal fell in (agreement with humans is measured per envelope). */
    envelope: jsonb('envelope').$type<Record<string, string>>(),
    /** Levels of approvers: [{ roles, quorum, name }]. */
    route: jsonb('route').$type<unknown[]>().notNull(),
    policyVersion: text('policy_version').notNull(),
    /** Index into route of the level now deciding. */
    currentLevel: integer('current_level').notNull().default(0),
    escalationLevel: integer('escalation_level').notNull().default(0),
    /** Where the request came from (channel, conversation, turn) so the outcome is reported back there. */
    origin: jsonb('origin').$type<Record<string, unknown>>(),
    decidedByUserId: uuid('decided_by_user_id').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decisionReason: text('decision_reason'),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    /** Bumped on every change (optimistic concurrency for card updates). */
    version: integer('version').notNull().default(0),
    /**
     * What makes two proposals the same request (kind, subject, amount and currency, item): while one is
     * pending, an equal proposal attaches to it instead of filing another.
     */
    proposalKey: text('proposal_key'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('approvals_number_uq').on(t.number),
    index('approvals_status_idx').on(t.status, t.createdAt),
    uniqueIndex('approvals_pending_proposal_uq').on(t.proposalKey).where(sql`status = 'pending'`),
  ],
);

/** One person's decision on one level of an approval; a person decides at most once per approval. */
export const approvalDecisions = pgTable(
  'approval_decisions',
  {
    id: serial('id').primaryKey(),
    approvalId: uuid('approval_id')
      .notNull()
      .references(() => approvals.id),
    level: integer('level').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    /** The approver whose authority was used, when deciding as their delegate. */
    onBehalfOfUserId: uuid('on_behalf_of_user_id').references(() => users.id),
    decision: text('decision', { enum: ['approve', 'reject', 'request_changes'] }).notNull(),
    /** The role of the level this decision filled. */
    role: text('role'),
    reason: text('reason'),
    channel: text('channel'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('approval_decisions_user_uq').on(t.approvalId, t.userId)],
);

/** Chat messages that show an approval (so cards can be updated after a decision). */
export const approvalMessages = pgTable(
  'approval_messages',
  {
    id: serial('id').primaryKey(),
    approvalId: uuid('approval_id')
      .notNull()
      .references(() => approvals.id),
    channel: text('channel').notNull(),
    conversationId: text('conversation_id').notNull(),
    messageId: text('message_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('approval_messages_uq').on(t.approvalId, t.channel, t.messageId)],
);

/** Actions to execute: written in the same transaction as the decision that allows them, run exactly once. */
export const actionOutbox = pgTable(
  'action_outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    approvalId: uuid('approval_id').references(() => approvals.id),
    kind: text('kind').notNull(),
    action: jsonb('action').$type<Record<string, unknown>>().notNull(),
    /** How it was allowed: 'approval' or 'autonomy:<level>'. */
    authorisedBy: text('authorised_by').notNull(),
    status: text('status', { enum: ['pending', 'done', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    result: jsonb('result').$type<Record<string, unknown>>(),
    error: text('error'),
    createdAt: createdAt(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('action_outbox_approval_uq').on(t.approvalId), index('action_outbox_status_idx').on(t.status, t.id)],
);

/** The autonomy an agent holds for an action kind × category × amount band. Absent means `recommend`. */
export const autonomyGrants = pgTable(
  'autonomy_grants',
  {
    id: serial('id').primaryKey(),
    agent: text('agent').notNull(),
    actionKind: text('action_kind').notNull(),
    category: text('category').notNull(),
    band: text('band').notNull(),
    level: text('level', { enum: ['recommend', 'act_with_notice', 'autonomous'] }).notNull(),
    reason: text('reason').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('autonomy_grants_key_uq').on(t.agent, t.actionKind, t.category, t.band)],
);

/** The statuses of a sourcing event, in the order an event moves through them (`cancelled` ends any but `awarded`). */
export const SOURCING_STATUSES = ['draft', 'rfx_issued', 'bids_open', 'evaluating', 'award_proposed', 'awarded', 'cancelled'] as const;

/** An evaluation criterion of a sourcing event and its weight (weights of an event sum to 1). */
export type SourcingCriterion = { key: string; label: string; weight: number };

/**
 * A sourcing event (RFQ/tender): a draft from chat or `qm sourcing create`, issued through governance, then bids
 * and an award. `number` is what people say ("event 7"); every status change is in the ledger.
 */
export const sourcingEvents = pgTable(
  'sourcing_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    number: serial('number').notNull(),
    title: text('title').notNull(),
    description: text('description'),
    categoryCode: text('category_code'),
    supplierIds: uuid('supplier_ids').array().notNull().default(sql`'{}'::uuid[]`),
    estimatedValue: money('estimated_value'),
    currency: currency(),
    status: text('status', { enum: SOURCING_STATUSES }).notNull().default('draft'),
    ownerEmail: text('owner_email'),
    requesterEmail: text('requester_email'),
    buyerEmail: text('buyer_email'),
    /** When the goods or services are needed from. */
    neededFrom: date('needed_from'),
    /** Bids close at this time; until then bids are sealed to all but the buyer and procurement. */
    deadline: timestamp('deadline', { withTimezone: true }),
    criteria: jsonb('criteria').$type<SourcingCriterion[]>().notNull().default([]),
    /** The chosen award scenario once proposed or awarded: kind, total and awards per bidder. */
    award: jsonb('award').$type<Record<string, unknown>>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('sourcing_events_number_uq').on(t.number), index('sourcing_events_status_idx').on(t.status)],
);

/** A line of a sourcing event: what is bought, how much. The same item code may appear on two lines. */
export const sourcingEventLines = pgTable(
  'sourcing_event_lines',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => sourcingEvents.id, { onDelete: 'cascade' }),
    lineNo: integer('line_no').notNull(),
    itemCode: text('item_code'),
    description: text('description').notNull(),
    quantity: quantity('quantity'),
    unit: text('unit'),
  },
  (t) => [uniqueIndex('sourcing_event_lines_uq').on(t.eventId, t.lineNo)],
);

/** One bidder's bid on a sourcing event (one per supplier and event; a re-import updates its lines). */
export const sourcingBids = pgTable(
  'sourcing_bids',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => sourcingEvents.id, { onDelete: 'cascade' }),
    supplierId: uuid('supplier_id')
      .notNull()
      .references(() => suppliers.id),
    bidderName: text('bidder_name').notNull(),
    currency: currency().notNull(),
    /** The import that last wrote this bid (undoing that import leaves the bid, so the link is cleared). */
    batchId: integer('batch_id').references(() => importBatches.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('sourcing_bids_event_supplier_uq').on(t.eventId, t.supplierId)],
);

/** A priced line of a bid, keyed by the event's line number. Prices are as submitted; flags say what disagrees. */
export const sourcingBidLines = pgTable(
  'sourcing_bid_lines',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    bidId: uuid('bid_id')
      .notNull()
      .references(() => sourcingBids.id, { onDelete: 'cascade' }),
    lineNo: integer('line_no').notNull(),
    itemCode: text('item_code'),
    description: text('description'),
    quantity: quantity('quantity'),
    unit: text('unit'),
    unitPrice: money('unit_price'),
    lineTotal: money('line_total'),
    leadTimeDays: integer('lead_time_days'),
    notes: text('notes'),
    flags: text('flags').array().notNull().default(sql`'{}'::text[]`),
    sourceLine: integer('source_line'),
  },
  (t) => [uniqueIndex('sourcing_bid_lines_uq').on(t.bidId, t.lineNo)],
);

/**
 * The append-only, hash-chained ledger. `seq` is gapless; `hash` = sha256(prev_hash + "\n" + canonical
 * JSON of the event). UPDATE, DELETE and TRUNCATE are refused by triggers (migration 0004).
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
    actorType: text('actor_type', { enum: ['user', 'agent', 'system'] }).notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    subjectType: text('subject_type'),
    subjectId: text('subject_id'),
    rationale: text('rationale').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    policyVersion: text('policy_version'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    uniqueIndex('audit_events_hash_uq').on(t.hash),
    index('audit_events_at_idx').on(t.at),
    index('audit_events_subject_idx').on(t.subjectType, t.subjectId),
    index('audit_events_action_idx').on(t.action, t.at),
  ],
);

/** What a monitor found: raised once per (monitor, key), updated when seen again, closed when resolved. */
export const findings = pgTable(
  'findings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    monitor: text('monitor').notNull(),
    /** Stable identity of the finding within its monitor (e.g. the invoice id and exception kind). */
    key: text('key').notNull(),
    status: text('status', { enum: ['open', 'resolved', 'dismissed'] })
      .notNull()
      .default('open'),
    severity: text('severity', { enum: ['info', 'warning', 'high', 'critical'] }).notNull(),
    title: text('title').notNull(),
    /** What happened. */
    summary: text('summary').notNull(),
    /** Why it matters, in money and risk. */
    impact: text('impact').notNull(),
    amount: money('amount'),
    currency: currency(),
    supplierId: uuid('supplier_id').references(() => suppliers.id),
    subjectType: text('subject_type'),
    subjectId: text('subject_id'),
    evidence: jsonb('evidence').$type<Record<string, unknown>[]>().notNull(),
    recommendation: text('recommendation').notNull(),
    /** Roles that must act on it (buyer, receiver, requester, owner…). */
    routeTo: text('route_to').array().notNull().default(sql`'{}'::text[]`),
    /** The action proposed through governance, and the approval it became (if any). */
    proposal: jsonb('proposal').$type<Record<string, unknown>>(),
    approvalId: uuid('approval_id').references(() => approvals.id),
    decision: jsonb('decision').$type<Record<string, unknown>>(),
    seenCount: integer('seen_count').notNull().default(1),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('findings_monitor_key_uq').on(t.monitor, t.key),
    index('findings_status_idx').on(t.status, t.lastSeenAt),
    index('findings_supplier_idx').on(t.supplierId),
  ],
);

/**
 * A personal API token: acts as its user. Only the sha256 of the secret is stored; the secret is shown once.
 * An `on_behalf` token (for integrations) may name another user with `as`; the ledger records both.
 */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    tokenHash: text('token_hash').notNull(),
    onBehalf: boolean('on_behalf').notNull().default(false),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('api_tokens_hash_uq').on(t.tokenHash), index('api_tokens_user_idx').on(t.userId)],
);

/**
 * Claims on inbound requests that must be processed once across every instance (a Slack slash command's
 * trigger_id, an event id). The first instance to insert the key owns it until `expires_at`.
 */
export const requestClaims = pgTable(
  'request_claims',
  {
    key: text('key').primaryKey(),
    kind: text('kind').notNull(),
    claimedAt: timestamp('claimed_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    doneAt: timestamp('done_at', { withTimezone: true }),
  },
  (t) => [index('request_claims_expiry_idx').on(t.expiresAt)],
);

/**
 * Where a chat bot can write on its own (a proactive approval card, an update of a card it sent, an outcome): the
 * platform's reference to a conversation (Teams: service URL, conversation, bot and tenant), kept from the
 * activities the bot received, so it reaches people after a restart and from any app instance.
 */
export const chatConversations = pgTable(
  'chat_conversations',
  {
    platform: text('platform').notNull(),
    conversationId: text('conversation_id').notNull(),
    /** 'personal', 'groupChat', 'channel'. */
    conversationType: text('conversation_type').notNull(),
    reference: jsonb('reference').$type<Record<string, unknown>>().notNull(),
    seenAt: timestamp('seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.conversationId] })],
);

/**
 * A person as a chat bot knows them from their activities (Teams: by AAD object id): their platform address (29:…),
 * their 1:1 conversation with the bot, the last conversation they wrote from, and the user they were matched to.
 */
export const chatContacts = pgTable(
  'chat_contacts',
  {
    platform: text('platform').notNull(),
    externalId: text('external_id').notNull(),
    address: text('address'),
    personalConversationId: text('personal_conversation_id'),
    lastConversationId: text('last_conversation_id'),
    userId: uuid('user_id').references(() => users.id),
    seenAt: timestamp('seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.externalId] }), index('chat_contacts_user_idx').on(t.platform, t.userId)],
);

/**
 * A person's identity on a chat platform: (platform, tenant or team, external id) → user. Replaces one column
 * per platform on users; a person may have several (two Slack workspaces, Teams in two tenants).
 */
export const chatIdentities = pgTable(
  'chat_identities',
  {
    id: serial('id').primaryKey(),
    /** 'slack', 'teams', 'web'… */
    platform: text('platform').notNull(),
    /** Slack team id, Teams tenant id; '' when unknown (identities imported without one). */
    tenant: text('tenant').notNull().default(''),
    externalId: text('external_id').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('chat_identities_uq').on(t.platform, t.tenant, t.externalId), index('chat_identities_user_idx').on(t.userId)],
);

/**
 * A signed-in browser. The session cookie carries a random secret; only its sha256 is stored, so a leaked backup
 * signs nobody in. A session ends at `expires_at` (absolute), after `idle` without a request (`last_seen_at`), or
 * when its person signs out (`ended_at`).
 */
export const webSessions = pgTable(
  'web_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tokenHash: text('token_hash').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    /** How the person signed in: a one-time link or the identity provider. */
    method: text('method', { enum: ['link', 'oidc'] }).notNull(),
    createdAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('web_sessions_hash_uq').on(t.tokenHash), index('web_sessions_user_idx').on(t.userId)],
);

/** A one-time sign-in link (`qm web link`): stored as the sha256 of its secret, usable once before `expires_at`. */
export const webSignInLinks = pgTable(
  'web_sign_in_links',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tokenHash: text('token_hash').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('web_sign_in_links_hash_uq').on(t.tokenHash)],
);

/** Secrets generated once and shared by every instance on this database (the key that signs web cookies). */
export const serverSecrets = pgTable('server_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: createdAt(),
});
