/** Several models on one host: sessions and tokens are also counted per model (`model` label, repo:file). */
import { describe, expect, test } from "bun:test";
import { createOpsEvents } from "../../../src/ops/events.ts";
import { createHostMetrics } from "../../../src/ops/metrics/host-metrics.ts";
import { parseExposition } from "../../../src/ops/metrics/parse-exposition.ts";

describe("metrics per model", () => {
  test("sessions and generated tokens carry the model; events without one count only in the totals", async () => {
    const metrics = createHostMetrics({ build: { version: "1", commit: "c" } });
    const emit = createOpsEvents({ metrics });
    emit({ type: "session_started", sessionId: "a", model: "org/a-GGUF:a.gguf" });
    emit({ type: "session_started", sessionId: "b", model: "org/b-GGUF:b.gguf" });
    emit({ type: "session_started", sessionId: "c" });
    emit({ type: "tokens_generated", count: 300, model: "org/a-GGUF:a.gguf" });
    emit({ type: "tokens_generated", count: 200, model: "org/b-GGUF:b.gguf" });
    const families = parseExposition(await metrics.text());
    const samples = (name: string) => families.find((f) => f.name === name)!.samples.map((s) => [s.labels.model, s.value]);
    expect(samples("fabstir_host_model_sessions_total")).toEqual([
      ["org/a-GGUF:a.gguf", 1],
      ["org/b-GGUF:b.gguf", 1],
    ]);
    expect(samples("fabstir_host_model_tokens_generated_total")).toEqual([
      ["org/a-GGUF:a.gguf", 300],
      ["org/b-GGUF:b.gguf", 200],
    ]);
    expect(families.find((f) => f.name === "fabstir_host_sessions_total")!.samples[0]!.value).toBe(3);
  });
});
