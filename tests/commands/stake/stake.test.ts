/**
 * The stake through the commands, checked on chain: adding to it, and unregistering (the whole stake back).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Contract } from "ethers";
import { DEVNET_HOOK_TIMEOUT_MS, devnetContracts, openSession, startTestDevnet, type TestDevnet } from "../../helpers/devnet.ts";
import { scriptedPrompter } from "../../helpers/context.ts";
import { nodeInfo, registeredHost } from "../helpers/host-env.ts";
import { HostErrors } from "../../../src/errors/codes/index.ts";

let devnet: TestDevnet;

beforeAll(async () => {
  devnet = await startTestDevnet();
}, DEVNET_HOOK_TIMEOUT_MS);

afterAll(async () => {
  await devnet?.stop();
});

describe("stake and unregister", () => {
  test("stake add: approve then stake, exact FAB units", async () => {
    const env = await registeredHost(devnet);
    const result = await env.run(["stake", "add", "250.5", "--yes", "--json"]);
    expect(result.code).toBe(0);
    const data = result.json().data;
    expect(data.sent.map((tx: { kind: string }) => tx.kind)).toEqual(["approve", "stake"]);
    expect(data.afterFab).toBe("1250.5");
    expect((await nodeInfo(env)).stake).toBe(1250_500_000_000_000_000_000n);
  });

  test("unregister: warns about an active session, asks for the address tail, shows the stake returned", async () => {
    const env = await registeredHost(devnet);
    const jobId = await openSession(devnet.deployment, devnet.provider, { host: env.account.address, pricePerToken: 2_000_000_000_000n, deposit: 10n ** 16n });
    const fabBefore = BigInt(await (devnetContracts(devnet.deployment, devnet.provider).fabToken as Contract).getFunction("balanceOf")(env.account.address));
    const tail = env.account.address.slice(-6).toLowerCase();

    const wrong = await env.run(["unregister"], { tty: true, prompter: scriptedPrompter({ "to unregister": "abcdef" }) });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(HostErrors.CONFIRMATION_MISMATCH.code);
    expect(wrong.stderr).toContain(`1 session is still active for this host (job ${jobId})`);
    expect((await nodeInfo(env)).operator).toBe(env.account.address);

    const result = await env.run(["unregister", "--json"], { tty: true, prompter: scriptedPrompter({ "to unregister": tail.toUpperCase() }) });
    expect(result.code).toBe(0);
    const data = result.json().data;
    expect(data.returnedFab).toBe("1000");
    expect(data.activeSessions).toEqual([jobId.toString()]);
    expect((await nodeInfo(env)).operator).toBe("0x0000000000000000000000000000000000000000");
    const fabAfter = BigInt(await (devnetContracts(devnet.deployment, devnet.provider).fabToken as Contract).getFunction("balanceOf")(env.account.address));
    expect(fabAfter - fabBefore).toBe(1000n * 10n ** 18n);

    // Registering again after unregistering: the earlier cycle's intents are done, new ones are sent.
    const again = await env.run(["register", "--yes", "--json"]);
    expect(again.code).toBe(0);
    expect(again.json().data.status).toBe("registered");
    expect((await nodeInfo(env)).stake).toBe(1000n * 10n ** 18n);
  });
});
