import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

describe('configuration', () => {
  it('defaults to the embedded database under ./.qm on port 3000', () => {
    const c = loadConfig({});
    expect(c.database.url).toBeUndefined();
    expect(c.database.dataDir).toMatch(/\.qm$/);
    expect(c.http.port).toBe(3000);
    expect(Object.isFrozen(c.database)).toBe(true);
  });

  it('names the variable and what is expected when a value is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT="eighty": expected a port number/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL=.*postgres:\/\//);
    expect(() => loadConfig({ MICROSOFT_APP_TYPE: 'Weird' })).toThrow(/MICROSOFT_APP_TYPE/);
    expect(() => loadConfig({ QM_DEFAULT_CURRENCY: 'pounds' })).toThrow(/QM_DEFAULT_CURRENCY.*three-letter/);
  });

  it('reports every bad variable at once', () => {
    try {
      loadConfig({ PORT: '99999', OPENAI_BASE_URL: 'not a url' });
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).toMatch(/PORT/);
      expect((err as Error).message).toMatch(/OPENAI_BASE_URL/);
    }
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: ' ' }).database.url).toBeUndefined();
  });
});
