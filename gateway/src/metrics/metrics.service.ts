import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly http = new Histogram({
    name: 'drugtrace_http_request_duration_seconds',
    help: 'HTTP request latency by route, method and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly fabric = new Histogram({
    name: 'drugtrace_fabric_call_duration_seconds',
    help: 'Fabric call latency by contract:transaction, kind (evaluate|submit|catch-up, and the steps of a submit: endorse|order|commit) and outcome',
    labelNames: ['call', 'kind', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly scanRecords = new Counter({
    name: 'drugtrace_scan_records_total',
    help: 'Scans to record on the ledger: queued, or rate_limited (the API key had spent its budget)',
    labelNames: ['outcome'],
    registers: [this.registry],
  });

  /** A backlog here is evidence (sightings, alerts) the ledger does not have yet, and ledger work still to come. */
  readonly scanRecordsPending = new Gauge({
    name: 'drugtrace_scan_records_pending',
    help: 'Scan records queued or being written to the ledger, not yet committed or given up on',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'drugtrace_' });
  }
}
