import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type LogFormat = 'json' | 'pretty';

/** JSON logs (one object per line) for machines; a readable mode when a person watches a terminal. */
export function createLogger(opts: { level?: string; format?: LogFormat; name?: string } = {}): Logger {
  const format = opts.format ?? (process.stdout.isTTY ? 'pretty' : 'json');
  const base = { level: opts.level ?? 'info', name: opts.name ?? 'guts' };
  if (format === 'pretty') {
    return pino(base, pretty({ colorize: process.stdout.isTTY ?? false, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }));
  }
  return pino(base);
}

export type { Logger };
