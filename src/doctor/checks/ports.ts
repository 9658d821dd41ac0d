/**
 * The ports the host will bind: the public API port, the node's loopback port, and the node's P2P ports
 * (P2P_PORT and +1 over TCP, +2 over UDP). A port taken by another program makes the node die at start-up.
 */
import { createServer } from "node:net";
import { createSocket } from "node:dgram";
import type { DoctorCheck, PortProtocol } from "../types.ts";

export function probePort(port: number, host: string, protocol: PortProtocol): Promise<boolean | "denied"> {
  return new Promise((resolve) => {
    const answer = (error: NodeJS.ErrnoException) => resolve(error.code === "EACCES" ? "denied" : false);
    if (protocol === "udp") {
      const socket = createSocket("udp4");
      socket.once("error", (error) => {
        socket.close();
        answer(error);
      });
      socket.bind(port, host, () => socket.close(() => resolve(true)));
      return;
    }
    const server = createServer();
    server.once("error", answer);
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export interface PlannedPort {
  name: string;
  port: number;
  host: string;
  protocol: PortProtocol;
}

export function plannedPorts(node: { apiPort: number; internalPort: number; p2pPort: number }): PlannedPort[] {
  return [
    { name: "API", port: node.apiPort, host: "0.0.0.0", protocol: "tcp" },
    { name: "node (internal)", port: node.internalPort, host: "127.0.0.1", protocol: "tcp" },
    { name: "P2P", port: node.p2pPort, host: "0.0.0.0", protocol: "tcp" },
    { name: "P2P+1", port: node.p2pPort + 1, host: "0.0.0.0", protocol: "tcp" },
    { name: "P2P+2", port: node.p2pPort + 2, host: "0.0.0.0", protocol: "udp" },
  ];
}

export const portsCheck: DoctorCheck = {
  id: "ports",
  title: "Ports free",
  async run(ctx) {
    if (!ctx.config) return { status: "skip", summary: "config not loaded" };
    const ports = plannedPorts(ctx.config.node);
    const results = await Promise.all(ports.map(async (p) => ({ ...p, free: await ctx.portFree(p.port, p.host, p.protocol) })));
    const label = (p: PlannedPort) => `${p.name} ${p.port}/${p.protocol}`;
    const busy = results.filter((r) => r.free === false);
    const denied = results.filter((r) => r.free === "denied");
    const details = { ports: results.map((r) => ({ name: r.name, port: r.port, protocol: r.protocol, free: r.free })) };
    if (busy.length > 0 && (await ctx.hostRunning())) {
      return { status: "pass", summary: `in use by the running host: ${busy.map(label).join(", ")}`, details };
    }
    if (busy.length > 0) {
      return {
        status: "fail",
        summary: `in use by another program: ${busy.map(label).join(", ")}`,
        fix: `Stop the program holding them (\`ss -ltnup | grep -E ':(${busy.map((b) => b.port).join("|")})\\b'\`), or choose other ports with \`fabstir-host config set node.apiPort …\` / node.p2pPort / node.internalPort.`,
        details,
      };
    }
    if (denied.length > 0) {
      return {
        status: "fail",
        summary: `not allowed to bind ${denied.map(label).join(", ")} (ports below 1024 need privileges)`,
        fix: "Use ports ≥ 1024 and forward the public port with your firewall or proxy.",
        details,
      };
    }
    return { status: "pass", summary: `free: ${results.map(label).join(", ")}`, details };
  },
};
