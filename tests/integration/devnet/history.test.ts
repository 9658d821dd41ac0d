/** seedSettledHistory writes jobs the marketplace's getters read back as completed sessions of the host. */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { seedSettledHistory } from "../../../scripts/devnet/history.ts";
import { DEVNET_HOOK_TIMEOUT_MS, devnetContracts, openSession, registerHost, startTestDevnet, type TestDevnet } from "../../helpers/devnet.ts";

let devnet: TestDevnet;
beforeAll(async () => {
  devnet = await startTestDevnet();
  await registerHost(devnet.deployment, devnet.provider);
}, DEVNET_HOOK_TIMEOUT_MS);
afterAll(() => devnet?.stop());

test("seeded jobs sit in hostSessions and sessionJobs as completed; later sessions get fresh ids after them", async () => {
  const market = devnetContracts(devnet.deployment, devnet.provider).jobMarketplace;
  const { host, client } = devnet.deployment.accounts;
  const first = await openSession(devnet.deployment, devnet.provider);
  const ids = await seedSettledHistory(devnet.deployment, 300);
  expect(ids[0]).toBe(first + 1n);
  for (const [index, jobId] of [
    [1, ids[0]!],
    [300, ids[299]!],
  ] as const) {
    expect(await market.getFunction("hostSessions")(host.address, index)).toBe(jobId);
    const job = await market.getFunction("sessionJobs")(jobId);
    expect([job.id, job.host, job.depositor, job.status]).toEqual([jobId, host.address, client.address, 1n]);
  }
  await expect(market.getFunction("hostSessions")(host.address, 301)).rejects.toThrow();
  expect(await openSession(devnet.deployment, devnet.provider)).toBe(ids[299]! + 1n);
});
