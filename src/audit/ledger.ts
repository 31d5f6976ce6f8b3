// The audit ledger's write side: appends events to the hash chain, one valid chain however many processes write.
//
// Every append takes the ledger's advisory transaction lock, reads the tail (last seq and hash), numbers the new
// events tail+1, tail+2, … and chains their hashes in Node, inserts them in one statement and commits. The lock
// serialises writers across connections, processes and app instances; the seq primary key refuses a fork should
// anything bypass it. (A ledger that wrote the tail itself links its next batch to it without reading it first:
// one round trip instead of four, checked by the insert itself; see appendAuditBatch in src/db/audit.ts.) `append` is group-committed: calls made while a batch is being written wait and go
// together in the next one (one transaction, one multi-row insert), and each resolves only once its batch has
// committed, or rejects with the batch's error. `appendAuditIn` writes inside the caller's transaction instead, so
// a decision and its audit event commit or roll back together; the lock is then held until the caller commits.
// Everything that changes state records its event that way; the group-committing ledger is for events that stand
// alone. A process makes one ledger (the composition root, src/runtime.ts, does) and passes it where it is needed.
//
// Inside a transaction use `appendAuditIn`, never `append`: `append` needs the lock (and, on the embedded database,
// the single connection) that the open transaction holds, and would wait for it forever.
import type { Database, Queryable } from '../db/client.js';
import { type AuditTail, appendAuditBatch, insertAuditEvents, lockAuditTail } from '../db/audit.js';
import { AppError } from '../errors.js';
import { eventHash, GENESIS_HASH, type HashedFields } from './hash.js';
import type { ActorType, AuditEvent, AuditEventInput } from './types.js';

export type Ledger = {
  /** Appends one event (batched with concurrent calls); resolves with the stored event once committed. */
  append(e: AuditEventInput): Promise<AuditEvent>;
  /** Resolves when every `append` called so far has settled. */
  flush(): Promise<void>;
};

/** Longest rationale kept; longer ones are clipped with an ellipsis. */
export const MAX_RATIONALE = 4000;
/** Longest actor, subject type/id or policy version. */
const MAX_LABEL = 500;
/** Most events written by one batch (12 parameters each, well under PostgreSQL's 65,535). */
const MAX_BATCH = 1000;

const ACTOR_TYPES: readonly ActorType[] = ['user', 'agent', 'system'];

/** Appends `events`, in order, inside the caller's transaction `tx` (they commit or roll back with it). */
export async function appendAuditIn(tx: Queryable, events: readonly AuditEventInput[]): Promise<AuditEvent[]> {
  const prepared = events.map(prepare);
  if (prepared.length === 0) return [];
  const stored = chain(await lockAuditTail(tx), prepared);
  await insertAuditEvents(tx, stored);
  return stored;
}

/** An event ready to be numbered and chained: validated, sanitised, `at` fixed. */
type Prepared = Omit<HashedFields, 'seq'>;

type Pending = { event: Prepared; resolve(e: AuditEvent): void; reject(err: unknown): void };

/**
 * A group-committing ledger over `database`: concurrent appends share one queue, so make one per process and
 * pass it around (two over the same database stay correct, as two app instances do, but batch less).
 */
export function createLedger(database: Database): Ledger {
  let queue: Pending[] = [];
  let draining: Promise<void> | undefined;
  // The tail this ledger last wrote, and whether the next batch should be linked straight to it without reading
  // the tail (appendAuditBatch): yes while no other writer was seen appending in between, since then it is a
  // round trip instead of four; no once one was (another instance), since a stale link costs a failed attempt.
  let lastWritten: AuditTail | undefined;
  let linkNext = false;

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.slice(0, MAX_BATCH);
      queue = queue.slice(batch.length);
      try {
        const events = batch.map((p) => p.event);
        const build = (tail: AuditTail | undefined) => {
          linkNext = tail !== undefined && tail.seq === lastWritten?.seq && tail.hash === lastWritten.hash;
          return chain(tail, events);
        };
        const stored = await appendAuditBatch(database, build, linkNext ? lastWritten : undefined);
        const last = stored[stored.length - 1]!;
        lastWritten = { seq: last.seq, hash: last.hash };
        for (const [i, p] of batch.entries()) p.resolve(stored[i]!);
      } catch (err) {
        lastWritten = undefined;
        linkNext = false;
        const error = new AppError('audit:append', `Could not append to the audit ledger: ${(err as Error).message}`, { cause: err });
        for (const p of batch) p.reject(error);
      }
    }
  }

  function startDrain(): void {
    if (draining) return;
    // Started after the current task, so calls made together (a Promise.all of appends) share the first batch;
    // calls arriving while a batch is being written queue up for the next one.
    draining = Promise.resolve()
      .then(drain)
      .finally(() => {
        draining = undefined;
        if (queue.length > 0) startDrain();
      });
  }

  return {
    append(input) {
      let event: Prepared;
      try {
        event = prepare(input);
      } catch (err) {
        return Promise.reject(err);
      }
      return new Promise<AuditEvent>((resolve, reject) => {
        queue.push({ event, resolve, reject });
        startDrain();
      });
    },
    async flush() {
      while (draining) await draining;
    },
  };
}

/** Numbers `events` after `tail` and chains their hashes. */
function chain(tail: AuditTail | undefined, events: readonly Prepared[]): AuditEvent[] {
  let seq = tail?.seq ?? 0;
  let prevHash = tail?.hash ?? GENESIS_HASH;
  const stored: AuditEvent[] = [];
  for (const e of events) {
    seq += 1;
    const fields: HashedFields = { seq, ...e };
    const hash = eventHash(prevHash, fields);
    stored.push({ ...fields, prevHash, hash });
    prevHash = hash;
  }
  return stored;
}

function invalid(message: string): AppError {
  return new AppError('audit:invalid', `Invalid audit event: ${message}`);
}

/** Validates an input and brings it to the exact form that the database stores and returns. */
function prepare(input: AuditEventInput): Prepared {
  if (!input || typeof input !== 'object') throw invalid('expected an object');
  if (!ACTOR_TYPES.includes(input.actorType)) throw invalid(`actorType must be one of ${ACTOR_TYPES.join(', ')}`);
  const actor = label(input.actor, 'actor', true);
  const action = label(input.action, 'action', true);
  if (typeof input.rationale !== 'string' || input.rationale.trim() === '') {
    throw invalid(`a rationale (why, in plain language) is required for ${action}`);
  }
  const at = input.at ?? new Date();
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw invalid('at must be a valid Date');
  const year = at.getUTCFullYear();
  if (year < 1 || year > 9999) throw invalid('at must lie between the years 1 and 9999');
  return {
    at: at.toISOString(), // Date holds milliseconds: this is already truncated to what timestamp(3) stores
    actorType: input.actorType,
    actor,
    action: action as AuditEventInput['action'],
    subjectType: input.subjectType === undefined || input.subjectType === null ? null : label(input.subjectType, 'subjectType', false),
    subjectId: input.subjectId === undefined || input.subjectId === null ? null : label(String(input.subjectId), 'subjectId', false),
    rationale: clip(cleanString(input.rationale.trim()), MAX_RATIONALE),
    data: sanitizeData(input.data),
    policyVersion:
      input.policyVersion === undefined || input.policyVersion === null ? null : label(input.policyVersion, 'policyVersion', false),
  };
}

function label(value: unknown, name: string, required: boolean): string {
  if (typeof value !== 'string') throw invalid(`${name} must be a string`);
  const clean = cleanString(value.trim());
  if (required && clean === '') throw invalid(`${name} is required`);
  return clip(clean, MAX_LABEL);
}

function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  let cut = s.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1); // never split a surrogate pair
  return `${cut}…`;
}

/**
 * PostgreSQL text and jsonb cannot hold U+0000 nor an unpaired UTF-16 surrogate (the driver would turn it into
 * U+FFFD on the way in, and the stored event would no longer match its hash): NUL goes, lone surrogates become U+FFFD.
 */
function cleanString(s: string): string {
  let out = s.includes('\0') ? s.replaceAll('\0', '') : s;
  if (/[\uD800-\uDFFF]/.test(out)) {
    out = out.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  }
  return out;
}

/**
 * Makes `data` what jsonb will give back: JSON values only (undefined members and functions dropped, Dates as
 * ISO strings, NaN and Infinity as null, as JSON.stringify does), strings and keys cleaned. Hashing the result
 * therefore gives the same hash as hashing the row read back later.
 */
function sanitizeData(data: Record<string, unknown> | undefined): Record<string, unknown> {
  if (data === undefined || data === null) return {};
  let text: string | undefined;
  try {
    text = JSON.stringify(data);
  } catch (err) {
    throw invalid(`data must be JSON-serialisable: ${(err as Error).message}`);
  }
  const value = text === undefined ? undefined : (JSON.parse(text) as unknown);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid('data must be a JSON object');
  return cleanValue(value) as Record<string, unknown>;
}

function cleanValue(value: unknown): unknown {
  if (typeof value === 'string') return cleanString(value);
  if (Array.isArray(value)) return value.map(cleanValue);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    // defineProperty, not assignment: a "__proto__" key must stay a plain member, as JSON.parse makes it.
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(out, cleanString(k), { value: cleanValue(v), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}
