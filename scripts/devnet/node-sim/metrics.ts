/**
 * Prometheus text for GET /metrics. Hand-written rather than prom-client so
 * several stand-ins in one process never share a global registry.
 */

export class SimMetrics {
  tokensGenerated = 0;
  promptsServed = 0;
  checkpointsRecorded = 0;
  proofsSubmitted = 0;
  proofSubmissionFailures = 0;
  sessionsCompleted = 0;
  websocketConnections = 0;

  render(sessionsActive: number, modelLoaded: boolean): string {
    const lines: string[] = [];
    const add = (name: string, type: "counter" | "gauge", help: string, value: number) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${value}`);
    };
    add("fabstir_tokens_generated_total", "counter", "Tokens generated across all sessions.", this.tokensGenerated);
    add("fabstir_prompts_total", "counter", "Prompts answered.", this.promptsServed);
    add("fabstir_sessions_active", "gauge", "Sessions currently open.", sessionsActive);
    add("fabstir_websocket_connections", "gauge", "Open WebSocket connections.", this.websocketConnections);
    add("fabstir_checkpoints_total", "counter", "Checkpoints recorded.", this.checkpointsRecorded);
    add("fabstir_proofs_submitted_total", "counter", "Checkpoint proofs submitted on chain.", this.proofsSubmitted);
    add(
      "fabstir_proof_submission_failures_total",
      "counter",
      "Checkpoint proofs that could not be submitted.",
      this.proofSubmissionFailures,
    );
    add("fabstir_sessions_completed_total", "counter", "Sessions settled on chain.", this.sessionsCompleted);
    add("fabstir_model_loaded", "gauge", "1 once the model is loaded.", modelLoaded ? 1 : 0);
    return `${lines.join("\n")}\n`;
  }
}
