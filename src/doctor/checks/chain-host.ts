/**
 * Doctor checks "wallet", "balances" and "registration": the key can be unlocked (checked without asking for
 * anything), the address holds ETH for gas and FAB for the stake, and the registration matches the config with every
 * served model priced for both tokens (a missing price makes every session for that pair revert).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { readPriceTable } from "../../host/pricing/prices.ts";
import { namesForIds, modelIdFromInput } from "../../host/models/registry.ts";
import { readRegistration } from "../../host/registration/registration.ts";
import { formatAmount, readBalances, RECOMMENDED_GAS_WEI } from "../../host/registration/requirements.ts";
import { keystorePath, readPublicKeyFile } from "../../wallet/keystore-file.ts";
import { REFUSED_PASSWORD_VARIABLES, SYSTEMD_CREDENTIAL_NAME } from "../../wallet/passwords.ts";
import type { CheckResult, DoctorCheck, DoctorContext } from "../types.ts";
import { withDoctorChain } from "./chain-rpc.ts";

export const walletCheck: DoctorCheck = {
  id: "wallet",
  title: "Host key",
  async run(ctx) {
    const wallet = ctx.config?.wallet;
    if (!ctx.config) return { status: "skip", summary: "config not loaded" };
    if (!wallet) return { status: "fail", summary: "no host key configured", fix: "Run `fabstir-host wallet create` (or `fabstir-host wallet import`)." };
    const details: Record<string, unknown> = {
      address: wallet.address,
      backend: wallet.backend,
      publicKey: readPublicKeyFile(ctx.paths.keystoreDir, wallet.address) !== null,
    };
    const refused = REFUSED_PASSWORD_VARIABLES.filter((name) => ctx.env[name]);
    if (refused.length > 0) {
      return {
        status: "fail",
        summary: `${refused.join(", ")} is set; passwords in environment variables are refused`,
        fix: "Unset it and use a password file (FABSTIR_PASSWORD_FILE, mode 600) instead.",
        details,
      };
    }
    if (wallet.backend === "keychain") return keychainKey(ctx, wallet.address, details);
    const file = keystorePath(ctx.paths.keystoreDir, wallet.address);
    if (!existsSync(file)) {
      return {
        status: "fail",
        summary: `keystore file ${file} is missing`,
        fix: "Restore it with `fabstir-host wallet import --from-file <backup.json>`.",
        details,
      };
    }
    const source = passwordSource(ctx);
    details.passwordSource = source?.kind ?? null;
    if (!source) {
      return {
        status: "warn",
        summary: `${wallet.address} in ${file}; no password file configured: commands ask on a terminal and the daemon cannot unlock unattended`,
        fix: "Put the password in a file (mode 600) and set FABSTIR_PASSWORD_FILE, or give it to the service as a systemd credential named fabstir-password.",
        details,
      };
    }
    if (!source.exists) {
      return {
        status: "fail",
        summary: `${wallet.address} in ${file}; the password file ${source.path} (${source.kind}) does not exist`,
        fix: "Create it (mode 600) or point FABSTIR_PASSWORD_FILE at the right file.",
        details,
      };
    }
    return { status: "pass", summary: `${wallet.address} in ${file}, password from ${source.kind} ${source.path}`, details };
  },
};

async function keychainKey(ctx: DoctorContext, address: string, details: Record<string, unknown>): Promise<CheckResult> {
  if (!ctx.keychainProbe) return { status: "skip", summary: `${address} in the OS keychain (no keychain probe in this build)`, details };
  const probe = await ctx.keychainProbe();
  if (!probe.ok)
    return {
      status: "fail",
      summary: `${address} is kept in the OS keychain, which does not answer`,
      fix: "Unlock or start the keychain, or move the key to the keystore backend.",
      details,
    };
  return { status: "pass", summary: `${address} in the OS keychain (${probe.store ?? "native"})`, details };
}

function passwordSource(ctx: DoctorContext): { kind: string; path: string; exists: boolean } | null {
  const file = ctx.env.FABSTIR_PASSWORD_FILE;
  if (file) return { kind: "FABSTIR_PASSWORD_FILE", path: file, exists: existsSync(file) };
  const credentials = ctx.env.CREDENTIALS_DIRECTORY;
  if (credentials && existsSync(join(credentials, SYSTEMD_CREDENTIAL_NAME)))
    return { kind: "systemd credential", path: join(credentials, SYSTEMD_CREDENTIAL_NAME), exists: true };
  return null;
}

export const balancesCheck: DoctorCheck = {
  id: "balances",
  title: "ETH and FAB",
  timeoutMs: 20_000,
  async run(ctx) {
    const address = ctx.config?.wallet?.address;
    if (!address) return { status: "skip", summary: "no host key configured" };
    return withDoctorChain(ctx, async (chain) => {
      const [balances, registration] = await Promise.all([readBalances(chain, address), readRegistration(chain, address)]);
      const d = balances.fab.decimals;
      const eth = `${formatAmount(balances.eth, 18)} ETH`;
      const fab = `${formatAmount(balances.fab.amount, d)} FAB`;
      const details = {
        eth: balances.eth.toString(),
        fab: balances.fab.amount.toString(),
        minStake: balances.minStake.toString(),
        registered: registration.registered,
      };
      if (!registration.registered && balances.fab.amount < balances.minStake) {
        return {
          status: "fail",
          summary: `${fab}, ${eth}: registering needs ${formatAmount(balances.minStake, d)} FAB (${formatAmount(balances.minStake - balances.fab.amount, d)} missing)`,
          fix: `Send FAB to ${address}, then run \`fabstir-host register\`.`,
          details,
        };
      }
      if (balances.eth === 0n)
        return {
          status: "fail",
          summary: `${fab}, no ETH: nothing can be sent (proofs, withdrawals)`,
          fix: `Send ETH to ${address} (0.015 ETH is plenty).`,
          details,
        };
      if (balances.eth < RECOMMENDED_GAS_WEI) {
        return {
          status: "warn",
          summary: `${eth} for gas, below the recommended ${formatAmount(RECOMMENDED_GAS_WEI, 18)} ETH; ${fab}`,
          fix: `Send ETH to ${address}.`,
          details,
        };
      }
      return {
        status: "pass",
        summary: `${eth} for gas; ${fab}${registration.registered ? `; staked ${formatAmount(registration.stake, d)} FAB` : ""}`,
        details,
      };
    });
  },
};

export const registrationCheck: DoctorCheck = {
  id: "registration",
  title: "Registration",
  timeoutMs: 20_000,
  async run(ctx) {
    const address = ctx.config?.wallet?.address;
    if (!address) return { status: "skip", summary: "no host key configured" };
    return withDoctorChain(ctx, async (chain, config) => {
      const registration = await readRegistration(chain, address);
      if (!registration.registered)
        return { status: "fail", summary: `${address} is not registered on ${chain.network.label}`, fix: "Run `fabstir-host register`." };
      const names = await namesForIds(chain, registration.models);
      const table = await readPriceTable(chain, address, registration.models);
      const unpriced = registration.models.flatMap((id) =>
        (["eth", "usdc"] as const).filter((token) => (table.get(id)?.[token] ?? 0n) === 0n).map((token) => `${names.get(id)} (${token.toUpperCase()})`),
      );
      const configured = config.models.map((text) => modelIdFromInput(text));
      const missingModels = configured.filter((m) => !registration.models.includes(m.id)).map((m) => m.ref ?? m.id);
      const details = { apiUrl: registration.apiUrl, models: registration.models.length, unpriced, missingModels, active: registration.active };
      if (unpriced.length > 0) {
        return {
          status: "fail",
          summary: `no price for ${unpriced.join(", ")}: sessions for these revert`,
          fix: "Run `fabstir-host register` (it adds the missing prices) or `fabstir-host pricing set`.",
          details,
        };
      }
      const problems: string[] = [];
      const fixes: string[] = [];
      if (config.publicUrl && registration.apiUrl !== config.publicUrl) {
        problems.push(`the URL on chain is ${registration.apiUrl}, the config says ${config.publicUrl}`);
        fixes.push(`Run \`fabstir-host update url ${config.publicUrl}\`.`);
      }
      if (missingModels.length > 0) {
        problems.push(`configured but not registered: ${missingModels.join(", ")}`);
        fixes.push("Run `fabstir-host update models <every model to serve>`.");
      }
      if (!registration.active) problems.push("the registry marks the host inactive");
      if (problems.length > 0) return { status: "warn", summary: problems.join("; "), fix: fixes.join(" ") || undefined, details };
      return {
        status: "pass",
        summary: `registered at ${registration.apiUrl} with ${registration.models.length} model${registration.models.length === 1 ? "" : "s"}, all priced for ETH and USDC`,
        details,
      };
    });
  },
};
