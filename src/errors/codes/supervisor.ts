/**
 * FH0450–FH0499: the node supervisor (FH0450–0469) and the host daemon: PID lock, detach, stop (FH0470–0489).
 * Codes are never renumbered or reused.
 */
import { defineCodes } from "./define.ts";

export const SupervisorErrors = defineCodes({
  NODE_SPAWN_FAILED: {
    code: "FH0450",
    title: "Could not launch the node",
    kind: "operational",
    cause: "The node binary is missing, not executable, or built for another platform.",
    fix: "Reinstall the node with `fabstir-host node install`, or fix `node.binaryPath` in the config.",
    hint: "Try: fabstir-host node install",
  },
  NODE_START_FAILED: {
    code: "FH0451",
    title: "The node exited while starting",
    kind: "operational",
    cause: "fabstir-llm-node stopped before it was ready: a missing or corrupt model, out of GPU memory, a port in use, or a bad setting.",
    fix: "Read the node's last output lines shown with the error (and logs/node.log), fix the cause, and start again.",
    hint: "Try: fabstir-host logs --component node",
  },
  NODE_START_TIMEOUT: {
    code: "FH0452",
    title: "The node did not become ready in time",
    kind: "operational",
    cause: "The model took longer to load than allowed, or the node never reported readiness on its health endpoint.",
    fix: "Check the node's output for progress; a large model on a slow disk may need more time.",
    hint: "Try: fabstir-host logs --component node",
  },
  NODE_CRASH_LOOP: {
    code: "FH0453",
    title: "The node keeps crashing",
    kind: "operational",
    cause: "The node crashed or hung too many times in a short window, so the supervisor stopped restarting it.",
    fix: "Read the node's last lines in logs/node.log, fix the cause (GPU memory, model file, driver), then `fabstir-host restart`.",
    hint: "Try: fabstir-host logs --component node, then fabstir-host restart",
  },
  NODE_MODEL_MISSING: {
    code: "FH0454",
    title: "Model file not found",
    kind: "operational",
    cause: "The node needs a GGUF model file and the configured one is not on disk.",
    fix: "Download the model (`fabstir-host models download`) or set `node.modelPath` to an existing file.",
    hint: "Try: fabstir-host models download",
  },
  NODE_ENV_INVALID: {
    code: "FH0455",
    title: "Node settings are incomplete",
    kind: "usage",
    cause: "A setting the node needs (RPC URL, a contract address) is missing, or node.extraEnv tries to set a secret.",
    fix: "Correct the named setting with `fabstir-host config set`; keys never go into the config.",
    hint: "Try: fabstir-host config validate",
  },
  NODE_PORT_IN_USE: {
    code: "FH0456",
    title: "The node's port is taken",
    kind: "operational",
    cause: "Another program (often a node left over from an earlier run) listens on node.internalPort.",
    fix: "Stop the other program (`fabstir-host stop` cleans up a leftover node) or choose another node.internalPort.",
    hint: "Try: fabstir-host stop, or fabstir-host config set node.internalPort <port>",
  },
  NODE_KEY_UNAVAILABLE: {
    code: "FH0457",
    title: "Host key needed to start the node",
    kind: "operational",
    cause: 'node.signer is "node" (the node signs checkpoints), and the host key could not be unlocked.',
    fix: 'Create or import a wallet, pass the password non-interactively, or set node.signer to "cli".',
    hint: "Try: fabstir-host wallet address",
  },
  DAEMON_ALREADY_RUNNING: {
    code: "FH0470",
    title: "A host is already running",
    kind: "operational",
    cause: "Another fabstir-host process holds the PID lock for this config directory.",
    fix: "Use `fabstir-host restart` to restart it, or `fabstir-host stop` first.",
    hint: "Try: fabstir-host status, or fabstir-host restart",
  },
  DAEMON_START_FAILED: {
    code: "FH0471",
    title: "The background host did not start",
    kind: "operational",
    cause: "The detached host process exited or failed before it was ready.",
    fix: "Read the error and the daemon log shown with it, fix the cause, and start again (or run `fabstir-host start` in the foreground to watch it).",
    hint: "Try: fabstir-host start (in the foreground) to see what happens",
  },
  DAEMON_STOP_FAILED: {
    code: "FH0472",
    title: "Could not stop the host",
    kind: "operational",
    cause: "The host process did not answer the stop signal, or belongs to another user.",
    fix: "Check the process named in the message; stop it as its owner, then run `fabstir-host stop` again to clean up.",
  },
  DAEMON_LOCK_FAILED: {
    code: "FH0473",
    title: "Could not take the run lock",
    kind: "operational",
    cause: "The run directory is not writable, or another start held the lock for too long.",
    fix: "Check the permissions of the run directory in the config directory and try again.",
  },
});
