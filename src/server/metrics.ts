import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { ProcessReport, Seatflow } from '../app/seatflow'
import type { OutboxReport } from '../app/processes/outbox'
import type { Gateways } from '../providers/gateway'
import { instrumentGateways } from './metricsGateways'

/** The names of seatflow's metrics, in Prometheus' text format (see README "Running seatflow as a service"). */
export const metricNames = {
  licenseChanges: 'seatflow_license_changes',
  oldestAwaiting: 'seatflow_oldest_awaiting_provisioning_seconds',
  requestsSent: 'seatflow_provisioning_requests_sent_total',
  remindersSent: 'seatflow_reminders_sent_total',
  requestsRecorded: 'seatflow_provisioning_requests_recorded',
  remindersRecorded: 'seatflow_reminders_recorded',
  attemptsRecorded: 'seatflow_gateway_outcomes_recorded_total',
  gatewayCalls: 'seatflow_gateway_calls_total',
  gatewaySeconds: 'seatflow_gateway_call_duration_seconds',
  viewLag: 'seatflow_view_lag_events',
  httpRequests: 'seatflow_http_requests_total',
  httpSeconds: 'seatflow_http_request_duration_seconds',
  workerErrors: 'seatflow_worker_errors_total',
} as const

const define = (registry: Registry) => {
  const registers = [registry]
  return {
    licenseChanges: new Gauge({ name: metricNames.licenseChanges, help: 'License Changes in the log by status and provider kind', labelNames: ['status', 'provider_kind'] as const, registers }),
    oldestAwaiting: new Gauge({ name: metricNames.oldestAwaiting, help: 'Age of the oldest License Change awaiting provisioning, by the seatflow\'s clock (0: none)', registers }),
    requestsSent: new Counter({ name: metricNames.requestsSent, help: 'Provisioning request emails this instance sent', registers }),
    remindersSent: new Counter({ name: metricNames.remindersSent, help: 'Reminders this instance sent', registers }),
    requestsRecorded: new Gauge({ name: metricNames.requestsRecorded, help: 'Provisioning request emails on record in the log (every instance)', registers }),
    remindersRecorded: new Gauge({ name: metricNames.remindersRecorded, help: 'Reminders on record in the log (every instance)', registers }),
    attemptsRecorded: new Counter({ name: metricNames.attemptsRecorded, help: 'Gateway outcomes this instance recorded in the log, by call and outcome', labelNames: ['call', 'outcome'] as const, registers }),
    gatewayCalls: new Counter({ name: metricNames.gatewayCalls, help: 'Calls to instrumented gateways by system, operation and outcome', labelNames: ['system', 'operation', 'outcome'] as const, registers }),
    gatewaySeconds: new Histogram({
      name: metricNames.gatewaySeconds, help: 'How long calls to instrumented gateways took', labelNames: ['system', 'operation'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120], registers,
    }),
    viewLag: new Gauge({ name: metricNames.viewLag, help: 'Events in the log the views have not applied yet', registers }),
    httpRequests: new Counter({ name: metricNames.httpRequests, help: 'HTTP requests by method, route and status', labelNames: ['method', 'route', 'status'] as const, registers }),
    httpSeconds: new Histogram({
      name: metricNames.httpSeconds, help: 'How long HTTP requests took', labelNames: ['method', 'route'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers,
    }),
    workerErrors: new Counter({ name: metricNames.workerErrors, help: 'Worker actions that failed (they are tried again)', labelNames: ['action'] as const, registers }),
  }
}

/**
 * The metrics of one service, in a registry of its own (two services in one process never mix
 * them). Make them before the seatflow when its gateways are to be timed: `instrument(gateways)`.
 */
export const createServiceMetrics = (options: { readonly processMetrics?: boolean } = {}) => {
  const registry = new Registry()
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry })
  const metrics = define(registry)

  /** Set the gauges that come from the log (the façade counts it again only when it moved) and answer the text. */
  const scrape = async (seatflow: Seatflow): Promise<string> => {
    const positions = await seatflow.positions()
    const summary = await seatflow.licenseChangeSummary()
    metrics.licenseChanges.reset()
    summary.byStatusAndKind.forEach((entry) => metrics.licenseChanges.set({ status: entry.status, provider_kind: entry.providerKind }, entry.count))
    const oldest = summary.oldestAwaitingSince === null ? null : Date.parse(summary.oldestAwaitingSince)
    metrics.oldestAwaiting.set(oldest === null ? 0 : Math.max(0, (seatflow.now().getTime() - oldest) / 1000))
    metrics.requestsRecorded.set(summary.requestsRecorded)
    metrics.remindersRecorded.set(summary.remindersRecorded)
    metrics.viewLag.set(Math.max(0, positions.log - positions.views))
    return registry.metrics()
  }

  return {
    registry,
    /** The content type of the text `scrape` answers. */
    contentType: registry.contentType,
    scrape,
    /** Gateways whose every call is counted by outcome and timed (by system or provider id, as keyed). */
    instrument: (gateways: Gateways): Gateways => instrumentGateways(gateways, metrics.gatewayCalls, metrics.gatewaySeconds),
    /** What a processing run of this instance sent and recorded. */
    processed: (report: ProcessReport): void => {
      metrics.requestsSent.inc(report.requestsSent)
      report.attempts.forEach((attempt) => metrics.attemptsRecorded.inc({ call: attempt.call, outcome: attempt.outcome }))
    },
    /** What a reminder run of this instance sent. */
    reminded: (report: OutboxReport): void => metrics.remindersSent.inc(report.sent.length),
    /** A worker action that failed. */
    failed: (action: string): void => metrics.workerErrors.inc({ action }),
    /** One HTTP request answered. */
    answered: (request: { readonly method: string; readonly route: string; readonly status: number; readonly seconds: number }): void => {
      metrics.httpRequests.inc({ method: request.method, route: request.route, status: String(request.status) })
      metrics.httpSeconds.observe({ method: request.method, route: request.route }, request.seconds)
    },
  }
}

/** A service's metrics. */
export type ServiceMetrics = ReturnType<typeof createServiceMetrics>
