/** The host process: PID lock, detach, signals, the host loop and its extension points. */
export { runHost, type HostDeps, type HostReadyInfo, type HostRunResult } from "./host-loop.ts";
export type { HostComponent, HostRuntime, DrainHook, ReloadHook } from "./components.ts";
export { readDaemonState, acquireHostLock, pidFilePath, type DaemonRecord, type DaemonState, type HostLock } from "./pid-file.ts";
export { startHost, type StartMode, type StartOptions, type StartResult } from "./start.ts";
export { stopHost, type StopOptions, type StopResult } from "./stop.ts";
export { restartHost, type RestartOptions, type RestartResult } from "./restart.ts";
export { processSignals, ManualSignals, type SignalSource, type HostSignal } from "./signals.ts";
export type { ComponentFactory } from "./host-setup.ts";
