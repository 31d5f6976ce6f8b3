// The audit hash chain's encoding: fixed vectors (computed outside this code base, with Python's hashlib and json)
// and agreement with an independently written re-implementation of the documented algorithm.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalEventFields, eventHash, GENESIS_HASH, type HashedFields } from '../../src/audit/hash.js';
import { verifyEvents } from '../../src/audit/verify.js';
import type { AuditEvent } from '../../src/audit/types.js';

const first: HashedFields = {
  seq: 1,
  at: '2025-03-01T09:30:00.000Z',
  actorType: 'agent',
  actor: 'spend',
  action: 'policy_decision',
  subjectType: 'proposal',
  subjectId: 'p-1',
  rationale: 'Under £5k with a known supplier: auto.',
  data: {
    outcome: 'auto',
    proposedBy: 'spend',
    amount: '4999.00',
    currency: 'GBP',
    nested: { b: [1, 2, { y: true, x: null }], a: 'é\n"q"' },
  },
  policyVersion: 'v7',
};

const second: HashedFields = {
  seq: 2,
  at: '2025-03-01T09:31:00.000Z',
  actorType: 'system',
  actor: 'governance',
  action: 'import',
  subjectType: null,
  subjectId: null,
  rationale: 'x',
  data: {},
  policyVersion: null,
};

/**
 * The algorithm as the header of src/audit/hash.ts states it, written again from that text alone: keys compared
 * code unit by code unit, strings escaped by hand, numbers through Number#toString (what JSON uses for finite numbers).
 */
function reference(prevHash: string, e: HashedFields): string {
  const str = (s: string) => {
    let out = '"';
    for (const ch of s) {
      const c = ch.codePointAt(0)!;
      if (ch === '"') out += '\\"';
      else if (ch === '\\') out += '\\\\';
      else if (ch === '\n') out += '\\n';
      else if (ch === '\r') out += '\\r';
      else if (ch === '\t') out += '\\t';
      else if (ch === '\b') out += '\\b';
      else if (ch === '\f') out += '\\f';
      else if (c < 0x20) out += `\\u${c.toString(16).padStart(4, '0')}`;
      else out += ch;
    }
    return `${out}"`;
  };
  const byCodeUnits = (a: string, b: string) => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const d = a.charCodeAt(i) - b.charCodeAt(i);
      if (d !== 0) return d;
    }
    return a.length - b.length;
  };
  const enc = (v: unknown): string => {
    if (v === null) return 'null';
    if (typeof v === 'boolean') return String(v);
    if (typeof v === 'number') return v.toString();
    if (typeof v === 'string') return str(v);
    if (Array.isArray(v)) return `[${v.map(enc).join(',')}]`;
    const keys = Object.keys(v as object).sort(byCodeUnits);
    return `{${keys.map((k) => `${str(k)}:${enc((v as Record<string, unknown>)[k])}`).join(',')}}`;
  };
  const fields = {
    seq: e.seq,
    at: e.at,
    actorType: e.actorType,
    actor: e.actor,
    action: e.action,
    subjectType: e.subjectType,
    subjectId: e.subjectId,
    rationale: e.rationale,
    data: e.data,
    policyVersion: e.policyVersion,
  };
  return createHash('sha256').update(Buffer.from(`${prevHash}\n${enc(fields)}`, 'utf8')).digest('hex');
}

describe('audit hash', () => {
  it('encodes the hashed fields canonically and matches vectors computed with Python', () => {
    expect(GENESIS_HASH).toBe('0'.repeat(64));
    expect(canonicalEventFields(first)).toBe(
      '{"action":"policy_decision","actor":"spend","actorType":"agent","at":"2025-03-01T09:30:00.000Z",' +
        '"data":{"amount":"4999.00","currency":"GBP","nested":{"a":"é\\n\\"q\\"","b":[1,2,{"x":null,"y":true}]},"outcome":"auto","proposedBy":"spend"},' +
        '"policyVersion":"v7","rationale":"Under £5k with a known supplier: auto.","seq":1,"subjectId":"p-1","subjectType":"proposal"}',
    );
    const h1 = eventHash(GENESIS_HASH, first);
    expect(h1).toBe('be8272e431e0b8b19c5780f313d4915263809a20d05fc55f66e55454a5e0593e');
    expect(eventHash(h1, second)).toBe('ac2a410342e0d332bc51130b0d46bae64ac40b6c4fbe9b061277712de2dc8f02');
  });

  it('agrees with an independent re-implementation on awkward values', () => {
    const samples: Record<string, unknown>[] = [
      { '\uffff': 1, '😀': 2, é: 3, e: 4, E: 5, '': 6 }, // astral keys sort before U+FFFF by code units
      { n: [0, -1, 0.1, 1e21, 1e-7, 123456789.125, Number.MAX_SAFE_INTEGER, 5e-324] },
      { s: 'tab\tcr\rnul-less \u0001\u001f \u2028 "quoted" back\\slash', deep: [[[{ z: [] }]], {}] },
      { money: { value: '250000.00', currency: 'USD' }, flags: [true, false, null] },
    ];
    let prev = GENESIS_HASH;
    samples.forEach((data, i) => {
      const e: HashedFields = { ...second, seq: i + 1, data, subjectId: i % 2 ? 'x' : null };
      expect(eventHash(prev, e)).toBe(reference(prev, e));
      prev = eventHash(prev, e);
    });
  });

  it('changes with every hashed field and with the previous hash; ignores the chain fields and extra members', () => {
    const base = eventHash(GENESIS_HASH, first);
    const variants: Partial<HashedFields>[] = [
      { seq: 2 },
      { at: '2025-03-01T09:30:00.001Z' },
      { actorType: 'user' },
      { actor: 'spend2' },
      { action: 'proposal' },
      { subjectType: null },
      { subjectId: 'p-2' },
      { rationale: 'Under £5k with a known supplier: auto' },
      { data: { ...first.data, amount: '4999.01' } },
      { policyVersion: null },
    ];
    for (const v of variants) expect(eventHash(GENESIS_HASH, { ...first, ...v })).not.toBe(base);
    expect(eventHash('1'.repeat(64), first)).not.toBe(base);
    const stored = { ...first, prevHash: 'a'.repeat(64), hash: 'b'.repeat(64), type: 'event' } as HashedFields;
    expect(eventHash(GENESIS_HASH, stored)).toBe(base);
  });

  it('verifies a chain offline and names the first event that does not hold', async () => {
    const chain: AuditEvent[] = [];
    let prev = GENESIS_HASH;
    for (let seq = 1; seq <= 5; seq++) {
      const e = { ...second, seq, rationale: `event ${seq}` };
      const hash = eventHash(prev, e);
      chain.push({ ...e, prevHash: prev, hash });
      prev = hash;
    }
    expect(await verifyEvents(chain)).toEqual({ ok: true, events: 5, head: { seq: 5, hash: prev } });
    const altered = chain.map((e) => (e.seq === 3 ? { ...e, rationale: 'event three' } : e));
    expect(await verifyEvents(altered)).toMatchObject({ ok: false, events: 2, broken: { seq: 3, action: 'import' } });
    const gap = chain.filter((e) => e.seq !== 4);
    expect(await verifyEvents(gap)).toMatchObject({ ok: false, broken: { seq: 4, at: null, reason: expect.stringMatching(/missing/) } });
    // A stretch starting later needs its predecessor's hash.
    expect(await verifyEvents(chain.slice(2), { firstPrevHash: chain[1]!.hash })).toMatchObject({ ok: true, events: 3 });
    expect(await verifyEvents(chain.slice(2))).toMatchObject({ ok: false, broken: { seq: 3 } });
    expect(await verifyEvents(chain.slice(2), { firstPrevHash: chain[0]!.hash })).toMatchObject({ ok: false, broken: { seq: 3 } });
  });
});
