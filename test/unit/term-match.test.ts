// Matching departments and categories as people name them: exact beats initials beats substring, and looser
// values are related, never mixed into an exact match.
import { describe, expect, it } from 'vitest';
import { foldTerm, initialsOf, matchTerms, type Term } from '../../src/domain/term-match.js';

const t = (label: string, payments = 1): Term => ({ key: label.toLowerCase(), label, payments });
const categories = [t('Cleaning', 5), t('Window Cleaning Equipment', 3), t('Office Cleaning', 9), t('Catering')];
const departments = [t('Human Resources'), t('IT'), t('Finance'), t('Chief Executive’s Office'), t('Facilities Management')];

describe('matchTerms', () => {
  it('an exact name is used alone; values merely containing it are related', () => {
    const r = matchTerms('cleaning', categories);
    expect(r.matches.map((m) => [m.label, m.matchedBy])).toEqual([['Cleaning', 'exact']]);
    expect(r.related.map((m) => m.label)).toEqual(['Window Cleaning Equipment', 'Office Cleaning']);
  });

  it('without an exact name, every value containing the words, reported as contains', () => {
    const r = matchTerms('window cleaning', categories);
    expect(r.matches.map((m) => [m.label, m.matchedBy])).toEqual([['Window Cleaning Equipment', 'contains']]);
    expect(r.related).toEqual([]);
  });

  it('words, not letters: "cat" is not in "Catering"', () => {
    expect(matchTerms('cat', categories).matches).toEqual([]);
  });

  it('initials learned from the data: HR, CEO, FM', () => {
    expect(matchTerms('HR', departments).matches.map((m) => [m.label, m.matchedBy])).toEqual([['Human Resources', 'initials']]);
    expect(matchTerms('CEO', departments).matches.map((m) => m.label)).toEqual(['Chief Executive’s Office']);
    expect(matchTerms('fm', departments).matches.map((m) => m.label)).toEqual(['Facilities Management']);
  });

  it('a department called by its own short name is exact, not initials', () => {
    expect(matchTerms('it', departments).matches.map((m) => [m.label, m.matchedBy])).toEqual([['IT', 'exact']]);
  });

  it('an alias maps to the value it stands for', () => {
    const r = matchTerms('People', departments, new Map([['people', 'human resources']]));
    expect(r.matches.map((m) => [m.label, m.matchedBy])).toEqual([['Human Resources', 'alias']]);
  });

  it('one value spelled two ways in the data is one exact match of both spellings', () => {
    const r = matchTerms('office cleaning', [t('Office Cleaning'), t('OFFICE-CLEANING'), t('Office Cleaning Supplies')]);
    expect(r.matches.map((m) => m.label)).toEqual(['Office Cleaning', 'OFFICE-CLEANING']);
    expect(r.related.map((m) => m.label)).toEqual(['Office Cleaning Supplies']);
  });

  it('nothing named: no matches', () => {
    expect(matchTerms('Procurement', departments)).toEqual({ matches: [], related: [] });
    expect(matchTerms('  ', departments)).toEqual({ matches: [], related: [] });
  });
});

describe('initialsOf and foldTerm', () => {
  it('leaves small words out and needs two words', () => {
    expect(initialsOf('Department for Transport')).toBe('dt');
    expect(initialsOf('Finance')).toBeUndefined();
    expect(foldTerm(' Window-Cleaning ')).toBe('window cleaning');
  });
});
