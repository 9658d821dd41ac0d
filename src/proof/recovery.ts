/**
 * What the pipeline takes up after a restart: every unfinished session from the journal, plus this host's active jobs
 * the journal never saw. A session the front carried when we went down ended with its socket ("host_restarted"); its
 * client may still resume it (resume.ts), and settlement waits for that (settlement.ts).
 */
import type { PipelineOptions } from "./pipeline-types.ts";
import type { SessionRecord } from "./journal.ts";

export async function recoveredRecords(options: Pick<PipelineOptions, "journal" | "chain" | "clock" | "logger">): Promise<SessionRecord[]> {
  const now = options.clock.now();
  const loaded = options.journal.loadActive((file, error) => options.logger.error("unreadable proof journal entry", { file, error: error.message }));
  for (const record of loaded) {
    if (!record.ended) Object.assign(record, { ended: true, endReason: record.endReason ?? "host_restarted", endedAt: now });
    record.nextAttemptAt = undefined;
  }
  const records = [...loaded];
  try {
    const known = new Set(loaded.map((r) => r.jobId));
    for (const jobId of await options.chain.activeJobsOfHost()) {
      if (known.has(jobId)) continue;
      records.push({
        sessionId: `job-${jobId}`,
        jobId,
        encrypted: false,
        generated: 0,
        proven: 0,
        ended: true,
        endReason: "found_on_chain",
        openedAt: now,
        endedAt: now,
        proofs: [],
        finished: false,
        attempts: 0,
      });
    }
  } catch (error) {
    options.logger.warn("could not list this host's active sessions; will retry on the next sweep", { error: (error as Error).message });
  }
  return records;
}
