/**
 * The node's internal port seen from the network. The node binds 0.0.0.0:API_PORT (fabstir-llm-node@85a87b8
 * src/main.rs:329) and has no setting to bind loopback only, so node.internalPort answers on every address of the
 * machine: a client that finds it talks to the node directly, past the session front that counts tokens for proofs.
 * Only a firewall closes it. This check connects to the machine's own non-loopback addresses on that port.
 */
import { createConnection } from "node:net";
import { networkInterfaces } from "node:os";
import type { DoctorCheck } from "../types.ts";
import { NODE_BIND_ADDRESS, closeNodePortAdvice } from "../../node/facts/node-behaviour.ts";

export interface ExposureProbe {
  /** This machine's non-loopback addresses. */
  addresses(): string[];
  /** Whether something accepts a TCP connection there. */
  answers(host: string, port: number): Promise<boolean>;
}

export function localAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const entry of list ?? []) {
      if (entry.internal) continue;
      if (entry.family === "IPv6" && entry.address.toLowerCase().startsWith("fe80")) continue; // link-local needs a scope id
      out.push(entry.address);
    }
  }
  return out;
}

export function tcpAnswers(host: string, port: number, timeoutMs = 1500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

export function makeNodeExposureCheck(probe: ExposureProbe = { addresses: localAddresses, answers: (h, p) => tcpAnswers(h, p) }): DoctorCheck {
  return {
    id: "node-exposure",
    title: "Node port closed to the network",
    async run(ctx) {
      if (!ctx.config) return { status: "skip", summary: "config not loaded" };
      const port = ctx.config.node.internalPort;
      if (!(await ctx.hostRunning())) {
        return {
          status: "skip",
          summary: `the host is not running; once it does, the node listens on ${NODE_BIND_ADDRESS}:${port}, so make sure a firewall closes that port`,
          details: { port },
        };
      }
      const addresses = probe.addresses();
      if (addresses.length === 0) return { status: "pass", summary: "this machine has no network address besides loopback", details: { port, addresses } };
      const open = (await Promise.all(addresses.map(async (address) => ((await probe.answers(address, port)) ? address : null)))).filter(
        (a): a is string => a !== null,
      );
      const details = { port, addresses, answering: open };
      if (open.length === 0) return { status: "pass", summary: `port ${port} does not answer on ${addresses.join(", ")}`, details };
      return {
        status: "warn",
        summary: `the node's internal port ${port} answers on ${open.join(", ")}: clients there reach the node directly, past the session front (the node binds ${NODE_BIND_ADDRESS} and cannot be told otherwise)`,
        fix: closeNodePortAdvice(port),
        details,
      };
    },
  };
}

export const nodeExposureCheck = makeNodeExposureCheck();
