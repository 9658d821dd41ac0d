/**
 * A session_opened event: the proof record a session opens on, a new one or an ended one reopened for a session that
 * came back (resume.ts). Kept apart from pipeline.ts, whose handle() otherwise only follows counts and ends.
 */
import type { SessionEvent } from "../session/monitor.ts";
import type { SessionRecord } from "./journal.ts";
import type { PipelineOptions } from "./pipeline-types.ts";
import { mayReopen, reopen } from "./resume.ts";

export interface SessionOpenDeps {
  options: PipelineOptions;
  records: Map<string, SessionRecord>;
  /** The base each session's monitor totals add to (resume.ts). */
  bases: Map<string, number>;
  persist(record: SessionRecord): void;
  kick(sessionId: string): void;
  supersedeFound(jobId: string): void;
}

export function openSession(deps: SessionOpenDeps, event: Extract<SessionEvent, { type: "session_opened" }>): void {
  const { records, bases } = deps;
  let record = records.get(event.sessionId);
  if (record && !record.ended) return;
  // A session still settling is not taken over by a new record (its job is being completed).
  if (record?.settlement?.state === "sending") return;
  if (record && mayReopen(record, event)) {
    bases.set(record.sessionId, reopen(record, event, bases.has(record.sessionId), bases.get(record.sessionId) ?? 0));
    deps.options.logger.info("session resumed", { sessionId: record.sessionId, jobId: record.jobId, served: record.generated });
    deps.persist(record);
    deps.kick(record.sessionId);
    return;
  }
  bases.set(event.sessionId, 0);
  record = {
    sessionId: event.sessionId,
    jobId: event.jobId,
    encrypted: event.encrypted,
    generated: record?.generated ?? 0,
    proven: record?.proven ?? 0,
    ended: false,
    openedAt: event.at,
    proofs: record?.proofs ?? [],
    finished: false,
    attempts: 0,
  };
  records.set(event.sessionId, record);
  deps.persist(record);
  if (record.jobId) deps.supersedeFound(record.jobId);
}
