// What counts as a change of a finding's facts (and so a `finding_updated` event), and the monitors' queues.
import { describe, expect, it } from 'vitest';
import type { FindingRow, FindingValues } from '../../src/db/findings.js';
import { MONITOR_QUEUES, queueNameOf } from '../../src/monitors/jobs.js';
import { factChanges } from '../../src/monitors/runner.js';

const stored: FindingRow = {
  id: 'f1',
  monitor: 'm',
  key: 'k',
  status: 'open',
  severity: 'warning',
  title: 'Title',
  summary: 'Summary',
  impact: 'Impact',
  amount: '4800.00',
  currency: 'GBP',
  supplierId: null,
  subjectType: null,
  subjectId: null,
  evidence: [{ source: 'invoice', amount: '4800.00', invoice: 'A-1' }],
  recommendation: 'Do it',
  routeTo: ['finance'],
  proposal: null,
  approvalId: null,
  decision: null,
  seenCount: 1,
  firstSeenAt: '2026-11-27T00:00:00.000Z',
  lastSeenAt: '2026-11-27T00:00:00.000Z',
  resolvedAt: null,
};

const next = (over: Partial<FindingValues> = {}): FindingValues => ({
  severity: 'warning',
  title: 'Another title',
  summary: 'Reworded',
  impact: 'Impact',
  amount: '4800.0000',
  currency: 'GBP',
  supplierId: null,
  subjectType: null,
  subjectId: null,
  evidence: [{ invoice: 'A-1', amount: '4800.00', source: 'invoice' }],
  recommendation: 'Do it',
  routeTo: ['finance'],
  proposal: null,
  ...over,
});

describe('finding changes', () => {
  it('ignores wording, key order and trailing zeros', () => {
    expect(factChanges(stored, next())).toBeUndefined();
  });

  it('names each fact that changed', () => {
    expect(factChanges(stored, next({ severity: 'high', amount: '9600.00' }))).toEqual({
      severity: { from: 'warning', to: 'high' },
      amount: { from: '4,800.00 GBP', to: '9,600.00 GBP' },
    });
    expect(factChanges(stored, next({ evidence: [...stored.evidence, { source: 'spend_line' }] }))).toEqual({ evidence: { from: '1 rows', to: '2 rows' } });
    expect(factChanges(stored, next({ amount: null, currency: null }))).toEqual({ amount: { from: '4,800.00 GBP', to: 'none' } });
  });
});

describe('monitor queues', () => {
  it('gives each monitor its own queue', () => {
    expect(queueNameOf('three-way-match')).toBe('monitor-three-way-match');
    expect(MONITOR_QUEUES).toEqual(expect.arrayContaining(['monitor-three-way-match', 'monitor-spend-anomalies', 'monitor-renewal-deadlines']));
  });
});
