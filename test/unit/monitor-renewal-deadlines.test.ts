// Which notice window a deadline falls in, and how urgent each window is.
import { describe, expect, it } from 'vitest';
import { severityOfWindow, windowOf } from '../../src/monitors/renewal-deadlines.js';

const WINDOWS = [90, 30, 7];

describe('renewal deadline windows', () => {
  it('puts a deadline in the narrowest window that holds it', () => {
    expect(windowOf(91, WINDOWS)).toBeUndefined();
    expect(windowOf(90, WINDOWS)).toBe(90);
    expect(windowOf(31, WINDOWS)).toBe(90);
    expect(windowOf(30, WINDOWS)).toBe(30);
    expect(windowOf(8, WINDOWS)).toBe(30);
    expect(windowOf(7, WINDOWS)).toBe(7);
    expect(windowOf(0, WINDOWS)).toBe(7);
    expect(windowOf(-1, WINDOWS)).toBe('passed');
  });

  it('grows more urgent as the deadline nears', () => {
    expect(WINDOWS.map((w) => severityOfWindow(w, WINDOWS))).toEqual(['warning', 'high', 'critical']);
    expect(severityOfWindow(60, [60, 14, 3, 1])).toBe('warning');
    expect(severityOfWindow(3, [60, 14, 3, 1])).toBe('high');
    expect(severityOfWindow('passed', WINDOWS)).toBe('warning');
  });
});
