/**
 * Prometheus text for GET /metrics. Hand-written rather than prom-client so
 * several stand-ins in one process never share a global registry.
 *
 * The real node answers a fixed block (http_requests_total 0 and moderation counters;
 * fabstir-llm-node@85a87b8 src/api/server.rs:1731-1770, content type "text/plain; version=0.0.4"):
 * the stand-in writes that block first, then its own `fabstir_*` counters, which only the
 * stand-in has (tests read them to see what it did).
 */

/** The real node's block, with every moderation counter at 0 (the stand-in moderates nothing). */
const REAL_NODE_BLOCK = [
  "# HELP http_requests_total Total HTTP requests",
  "# TYPE http_requests_total counter",
  "http_requests_total 0",
  "# HELP http_request_duration_seconds Request duration",
  "# TYPE http_request_duration_seconds histogram",
  'http_request_duration_seconds_bucket{le="0.1"} 0',
  "# HELP moderation_verdicts_total Moderation verdicts by outcome",
  "# TYPE moderation_verdicts_total counter",
  'moderation_verdicts_total{outcome="cleared"} 0',
  'moderation_verdicts_total{outcome="blocked"} 0',
  'moderation_verdicts_total{outcome="flagged"} 0',
  "# HELP moderation_holds_total Fail-closed moderation holds",
  "# TYPE moderation_holds_total counter",
  "moderation_holds_total 0",
  "# HELP moderation_matches_total Track-1 content matches",
  "# TYPE moderation_matches_total counter",
  "moderation_matches_total 0",
  "# HELP moderation_reports_filed_total NCMEC reports filed",
  "# TYPE moderation_reports_filed_total counter",
  "moderation_reports_filed_total 0",
];

export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4";

export class SimMetrics {
  tokensGenerated = 0;
  promptsServed = 0;
  checkpointsRecorded = 0;
  proofsSubmitted = 0;
  proofSubmissionFailures = 0;
  sessionsCompleted = 0;
  websocketConnections = 0;

  render(sessionsActive: number, modelLoaded: boolean): string {
    const lines: string[] = [...REAL_NODE_BLOCK];
    const add = (name: string, type: "counter" | "gauge", help: string, value: number) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${value}`);
    };
    add("fabstir_tokens_generated_total", "counter", "Tokens generated across all sessions.", this.tokensGenerated);
    add("fabstir_prompts_total", "counter", "Prompts answered.", this.promptsServed);
    add("fabstir_sessions_active", "gauge", "Sessions currently open.", sessionsActive);
    add("fabstir_websocket_connections", "gauge", "Open WebSocket connections.", this.websocketConnections);
    add("fabstir_checkpoints_total", "counter", "Checkpoints recorded.", this.checkpointsRecorded);
    add("fabstir_proofs_submitted_total", "counter", "Checkpoint proofs submitted on chain.", this.proofsSubmitted);
    add("fabstir_proof_submission_failures_total", "counter", "Checkpoint proofs that could not be submitted.", this.proofSubmissionFailures);
    add("fabstir_sessions_completed_total", "counter", "Sessions settled on chain.", this.sessionsCompleted);
    add("fabstir_model_loaded", "gauge", "1 once the model is loaded.", modelLoaded ? 1 : 0);
    return `${lines.join("\n")}\n`;
  }
}
