// Bolt and its Web API client log through Quartermaster's logger (stderr, one line each, same level filter).
import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../../src/log.js';

const text = (msg: unknown[]) => msg.map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m))).join(' ');

export function boltLogger(log: Logger): BoltLogger {
  let level: LogLevel = LogLevel.INFO;
  let name = 'slack';
  return {
    debug: (...m: unknown[]) => log.debug(`${name}: ${text(m)}`),
    info: (...m: unknown[]) => log.info(`${name}: ${text(m)}`),
    warn: (...m: unknown[]) => log.warn(`${name}: ${text(m)}`),
    error: (...m: unknown[]) => log.error(`${name}: ${text(m)}`),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: (n: string) => {
      name = n;
    },
  };
}
