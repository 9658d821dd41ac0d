/**
 * The real services of a context, built once by `createContext` (main.ts) and by the tests' context before they
 * replace what they fake. Heavy modules (the chain client and its crypto library) load on first use, not here:
 * a command that never touches the chain never pays for them.
 */
import type { HostContext, HostServices } from "./context.ts";
import { createChildKeyringClient } from "./wallet/keyring-client.ts";

export function defaultServices(base: Pick<HostContext, "spawn" | "env">): HostServices {
  return {
    platform: process.platform,
    connectChain: (config, options) => (require("./chain/client.ts") as typeof import("./chain/client.ts")).connectChain(config, options),
    keyring: createChildKeyringClient({ spawn: base.spawn, env: base.env }),
  };
}
