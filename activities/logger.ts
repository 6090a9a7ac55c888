import pino, { type Logger } from 'pino';

/** Structured JSON logs (pino) for every process; `component` tells worker, API and stack apart. */
export function createLogger(level: string, component: string): Logger {
  return pino({ level, base: { component } });
}
export type { Logger };
