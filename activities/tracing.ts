import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ClientOptions } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';

/** This process's tracing: what the worker hands to its workflows' span sink, and a flush. */
export interface Tracing {
  spanProcessor: SpanProcessor;
  resource: Resource;
  shutdown(): Promise<void>;
}

/**
 * Traces requests across API → workflow → activities with OpenTelemetry when an OTLP endpoint is
 * configured (`OTEL_EXPORTER_OTLP_ENDPOINT`, OTLP over HTTP with JSON); otherwise none, at no
 * cost. The context crosses processes in Temporal headers (W3C trace context).
 */
export function startTracing(serviceName: string, endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT): Tracing | undefined {
  if (!endpoint) return undefined;
  const resource = new Resource({ 'service.name': serviceName });
  const spanProcessor = new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` }), { scheduledDelayMillis: 500 });
  const provider = new BasicTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register({ contextManager: new AsyncLocalStorageContextManager(), propagator: new W3CTraceContextPropagator() });
  return { spanProcessor, resource, shutdown: () => provider.shutdown() };
}

/** A Temporal client's interceptors in a process that traces: the flows it starts or updates
 *  continue the caller's trace. */
export function clientInterceptors(tracing: Tracing | undefined): ClientOptions['interceptors'] {
  return tracing && { workflow: [new OpenTelemetryWorkflowClientInterceptor()] };
}
