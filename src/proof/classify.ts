/**
 * Sorts a failed proof or settlement into what to do next: retry later (RPC, nonce, gas), wait (rate rule, dispute
 * window), consider it done (another signer — the node — got there first), or stop for this session (the contract will
 * never accept it). Never loop on a revert.
 */
export type FailureClass = "transient" | "wait" | "done" | "permanent";

// Someone else settled the session (the node, the client, a second host process) or already landed this very proof
// (same proof hash): nothing to retry, and nothing to alert about; the chain is read again to carry on from there.
const DONE = [/already (completed|proven|submitted)|session (is )?(completed|timed out)/i, /session not active/i, /\bnot active\b/i, /proof already used/i];
// Both the contract's current short reasons ("Not host", "Min tokens" …) and the older long ones.
const PERMANENT = [/only host/i, /not the host/i, /\bnot host\b/i, /must claim minimum/i, /\bmin tokens\b/i, /\blow first\b/i, /invalid session/i, /insufficient deposit/i, /exceeds? deposit/i, /\bover dep\b/i, /not authori[sz]ed/i];
const WAIT = [/excessive tokens/i, /\btoo many\b/i, /rate/i, /too (soon|fast|many tokens)/i, /dispute (window|wait)/i, /not timed out/i, /\bnot timeout\b/i, /too early/i];
const TRANSIENT = [/nonce/i, /replacement (fee|transaction)/i, /underpriced/i, /timeout|timed out/i, /ECONNREFUSED|ECONNRESET|network|fetch failed|socket/i, /insufficient funds/i, /header not found/i, /429|502|503|504/];

export function classifyProofFailure(message: string): FailureClass {
  if (DONE.some((pattern) => pattern.test(message))) return "done";
  if (PERMANENT.some((pattern) => pattern.test(message))) return "permanent";
  if (WAIT.some((pattern) => pattern.test(message))) return "wait";
  if (TRANSIENT.some((pattern) => pattern.test(message))) return "transient";
  // Unknown failures are retried with backoff; the attempt cap turns a persistent one into a permanent stop.
  return "transient";
}
