import { trace } from '@opentelemetry/api';
import pino, { type Logger } from 'pino';

/** Structured JSON logs (pino) for every process; `component` tells worker, API and stack apart.
 *  Where tracing is on, a line written inside a traced request or activity carries its `traceId`,
 *  which leads to the request (its span has the request id). */
export function createLogger(level: string, component: string): Logger {
  return pino({
    level,
    base: { component },
    mixin: () => {
      const span = trace.getActiveSpan();
      return span ? { traceId: span.spanContext().traceId } : {};
    },
  });
}
export type { Logger };
