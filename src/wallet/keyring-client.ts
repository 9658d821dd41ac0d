/**
 * The parent's view of the OS keychain. The real client runs every call in a helper process (keyring-child.ts) with
 * a deadline, because a keychain call can hang forever and a hung native call cannot be interrupted in-process.
 * Tests pass an in-memory client through `context.overrides.keyring`.
 */
import { isCompiledBinary } from "../util/self-command.ts";
import { fileURLToPath } from "node:url";
import type { SpawnFn } from "../context.ts";
import { HostError } from "../errors/host-error.ts";
import { WalletErrors } from "../errors/codes/wallet.ts";
import type { KeychainStoreName, KeyringClient, KeyringGetResult, KeyringProbeResult, KeyringRequest, KeyringResponse } from "./keyring-types.ts";

export type { KeychainStoreName, KeyringClient, KeyringGetResult, KeyringProbeResult };

export interface ChildKeyringOptions {
  spawn: SpawnFn;
  env: Record<string, string | undefined>;
  /** Deadline for the probe (init, create, import): short, a fallback exists. */
  probeTimeoutMs?: number;
  /** Deadline for real operations: longer, a desktop keychain may show an unlock dialog first. */
  operationTimeoutMs?: number;
}

/** True inside a `bun build --compile` binary, where source files are not on disk to be run. */

function helperCommand(): { args: string[]; env: Record<string, string> } {
  if (isCompiledBinary()) return { args: [], env: { FABSTIR_KEYRING_CHILD: "1" } };
  return { args: [fileURLToPath(new URL("./keyring-child.ts", import.meta.url))], env: {} };
}

class KeyringTimeout extends Error {}

export function createChildKeyringClient(options: ChildKeyringOptions): KeyringClient {
  const probeTimeout = options.probeTimeoutMs ?? 5_000;
  const operationTimeout = options.operationTimeoutMs ?? 30_000;

  const call = (request: KeyringRequest, timeoutMs: number): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const helper = helperCommand();
      const env: Record<string, string> = {};
      for (const [name, value] of Object.entries(options.env)) if (value !== undefined) env[name] = value;
      const child = options.spawn(process.execPath, helper.args, { env: { ...env, ...helper.env }, stdio: ["pipe", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      let settled = false;
      const finish = (action: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        action();
      };
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        finish(() => reject(new KeyringTimeout(`no answer within ${Math.round(timeoutMs / 1000)} s`)));
      }, timeoutMs);
      child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
      child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8").slice(0, 2000)));
      child.on("error", (error) => finish(() => reject(error)));
      child.on("close", () =>
        finish(() => {
          try {
            const response = JSON.parse(stdout.trim().split("\n").pop() ?? "") as KeyringResponse;
            if (response.ok) resolve(response.result);
            else reject(new Error(response.error));
          } catch {
            reject(new Error(`keychain helper failed${stderr.trim() ? `: ${stderr.trim().split("\n")[0]}` : ""}`));
          }
        }),
      );
      child.stdin?.end(JSON.stringify(request));
    });

  const operation = async <T>(request: KeyringRequest, what: string): Promise<T> => {
    try {
      return (await call(request, operationTimeout)) as T;
    } catch (error) {
      if (error instanceof KeyringTimeout) {
        throw new HostError(WalletErrors.KEYCHAIN_TIMEOUT, `The OS keychain did not answer while ${what} (${error.message}).`, { cause: error });
      }
      throw new HostError(WalletErrors.KEYCHAIN_FAILED, `The OS keychain failed while ${what}: ${(error as Error).message}`, {
        hint: "Try: unlock the keychain, or use --backend keystore",
        cause: error,
      });
    }
  };

  return {
    async probe() {
      try {
        return (await call({ op: "probe" }, probeTimeout)) as KeyringProbeResult;
      } catch (error) {
        const why = error instanceof KeyringTimeout ? `the keychain did not answer (${error.message})` : (error as Error).message;
        return { ok: false, reason: why };
      }
    },
    set: (account, secret, store) => operation({ op: "set", account, secret, store }, "storing the key"),
    get: (account) => operation({ op: "get", account }, "reading the key"),
    delete: (account) => operation({ op: "delete", account }, "deleting the key"),
  };
}

/** An in-memory keychain for tests and for machines where the caller wants no OS keychain at all. */
export function createMemoryKeyringClient(options: { available?: boolean; persistent?: boolean } = {}): KeyringClient & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  const available = options.available ?? true;
  const store: KeychainStoreName = options.persistent === false ? "keyutils" : "secret-service";
  const unavailable = () => new HostError(WalletErrors.KEYCHAIN_UNAVAILABLE, "The OS keychain is not available.");
  return {
    entries,
    async probe() {
      return available ? { ok: true, store, persistent: store !== "keyutils" } : { ok: false, reason: "no keychain in this test" };
    },
    async set(account, secret) {
      if (!available) throw unavailable();
      entries.set(account, secret);
      return { store, persistent: store !== "keyutils" };
    },
    async get(account) {
      if (!available) return { value: null, reachable: false, reason: "no keychain in this test" };
      return { value: entries.get(account) ?? null, store, reachable: true };
    },
    async delete(account) {
      if (!available) return { deleted: false, reachable: false, reason: "no keychain in this test" };
      return { deleted: entries.delete(account), reachable: true };
    },
  };
}
