import { describe, expect, it } from 'vitest';
import { type Grain, rangeParts } from '../../src/db/queries/spend-source.js';

const day = (offset: number) => new Date(Date.UTC(2020, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10);
const nextDay = (iso: string) => day(Math.round((Date.parse(`${iso}T00:00:00Z`) - Date.UTC(2020, 0, 1)) / 86_400_000) + 1);

/** Whether `iso` starts a unit of `grain`. */
function aligned(iso: string, grain: Grain | 'day'): boolean {
  if (grain === 'day') return true;
  const m = Number(iso.slice(5, 7));
  return iso.endsWith('-01') && (grain === 'month' || (grain === 'quarter' ? (m - 1) % 3 === 0 : m === 1));
}

describe('rangeParts', () => {
  const GRAIN_SETS: Grain[][] = [['month'], ['quarter', 'month'], ['year', 'quarter', 'month'], ['year', 'month']];

  it('covers exactly the range, in date order, each part whole units of its grain, coarsest in the middle', () => {
    let seed = 5;
    const rand = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (let i = 0; i < 2000; i++) {
      const from = day(Math.floor(rand() * 2000));
      const to = day(Math.floor(rand() * 2000));
      if (to < from) continue;
      const grains = GRAIN_SETS[i % GRAIN_SETS.length]!;
      const parts = rangeParts(from, to, grains);
      // Contiguous from `from` to the day after `to`.
      expect(parts[0]!.from, `${from}..${to} ${grains}`).toBe(from);
      expect(parts.at(-1)!.to).toBe(nextDay(to));
      for (let p = 0; p < parts.length; p++) {
        const part = parts[p]!;
        expect(part.from! < part.to!, JSON.stringify(part)).toBe(true);
        if (p > 0) expect(part.from).toBe(parts[p - 1]!.to);
        expect(aligned(part.from!, part.grain) && aligned(part.to!, part.grain), JSON.stringify(part)).toBe(true);
        expect(['day', ...grains]).toContain(part.grain);
      }
      // Days only at either end, and each grain at most once on either side of the coarsest.
      expect(parts.filter((p) => p.grain === 'day').length).toBeLessThanOrEqual(2);
      for (const g of grains) expect(parts.filter((p) => p.grain === g).length).toBeLessThanOrEqual(2);
    }
  });

  it('cuts a range into end days, months, quarters and whole years', () => {
    // Quarters are a grain rangeParts can cut at; no rollup keeps them today (per supplier, a quarter held as many
    // keys as a year in the 10M-line bench and read no faster).
    expect(rangeParts('2021-05-09', '2023-08-20', ['year', 'quarter', 'month'])).toEqual([
      { grain: 'day', from: '2021-05-09', to: '2021-06-01' },
      { grain: 'month', from: '2021-06-01', to: '2021-07-01' },
      { grain: 'quarter', from: '2021-07-01', to: '2022-01-01' },
      { grain: 'year', from: '2022-01-01', to: '2023-01-01' },
      { grain: 'quarter', from: '2023-01-01', to: '2023-07-01' },
      { grain: 'month', from: '2023-07-01', to: '2023-08-01' },
      { grain: 'day', from: '2023-08-01', to: '2023-08-21' },
    ]);
    expect(rangeParts('2022-03-17', '2022-03-20', ['year', 'quarter', 'month'])).toEqual([
      { grain: 'day', from: '2022-03-17', to: '2022-03-21' },
    ]);
    expect(rangeParts('2022-12-01', '2022-12-31', ['month'])).toEqual([{ grain: 'month', from: '2022-12-01', to: '2023-01-01' }]);
  });

  it('leaves an open end open at the coarsest grain', () => {
    expect(rangeParts(undefined, '2023-08-20', ['year', 'quarter', 'month'])).toEqual([
      { grain: 'year', from: undefined, to: '2023-01-01' },
      { grain: 'quarter', from: '2023-01-01', to: '2023-07-01' },
      { grain: 'month', from: '2023-07-01', to: '2023-08-01' },
      { grain: 'day', from: '2023-08-01', to: '2023-08-21' },
    ]);
    expect(rangeParts('2023-11-30', undefined, ['month'])).toEqual([
      { grain: 'day', from: '2023-11-30', to: '2023-12-01' },
      { grain: 'month', from: '2023-12-01', to: undefined },
    ]);
    expect(rangeParts(undefined, undefined, ['year', 'month'])).toEqual([{ grain: 'year', from: undefined, to: undefined }]);
  });
});
