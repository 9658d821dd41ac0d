/**
 * Process-wide facts about logging itself, read by the metrics registry: a host whose disk is full keeps serving,
 * and this is how an operator finds out without a log to read.
 */
export interface LogHealthSnapshot {
  writeErrors: number;
  droppedLines: number;
  filesRecreated: number;
  /** Components whose log file cannot be written right now. */
  failing: string[];
}

const state = { writeErrors: 0, droppedLines: 0, filesRecreated: 0, failing: new Set<string>() };

export function recordLogWriteFailure(component: string): void {
  state.writeErrors++;
  state.failing.add(component);
}

export function recordLogDropped(count = 1): void {
  state.droppedLines += count;
}

export function recordLogRecovered(component: string): void {
  state.failing.delete(component);
}

export function recordLogFileRecreated(): void {
  state.filesRecreated++;
}

export function logHealthSnapshot(): LogHealthSnapshot {
  return { writeErrors: state.writeErrors, droppedLines: state.droppedLines, filesRecreated: state.filesRecreated, failing: [...state.failing].sort() };
}

/** For tests that assert on counts. */
export function resetLogHealth(): void {
  state.writeErrors = 0;
  state.droppedLines = 0;
  state.filesRecreated = 0;
  state.failing.clear();
}
