/** The node supervisor: run fabstir-llm-node, know when it is really ready, keep it alive, stop it without orphans. */
export { Supervisor, DEFAULT_SUPERVISOR_SETTINGS } from "./supervisor.ts";
export { buildNodeEnv, inheritedEnv, type NodeNetwork, type NodeEnvOptions } from "./node-env.ts";
export { StartCancelled } from "./readiness.ts";
export { isNormal, NO_P2P_ISSUE, parseHealth, probeHealth, type HealthResult, type HealthStatus } from "./health.ts";
export { backoffDelay, RestartPolicy, DEFAULT_BACKOFF, DEFAULT_CRASH_LOOP, type BackoffSettings, type CrashLoopSettings } from "./restart-policy.ts";
export { createNodeLog, type LineSink } from "./node-log.ts";
export { isProcessAlive, isGroupAlive, groupMembers, processStartToken, terminateGroup, signalGroup } from "./process-group.ts";
export { MODEL_LOADED_LINE, RUNNING_LINE } from "./node-process.ts";
export type * from "./types.ts";
