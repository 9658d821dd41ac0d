/** `host:port` as written in metrics.listen: `127.0.0.1:9464`, `[::1]:9464`, `localhost:9464`, `:9464` (loopback). */
import { HostError } from "../../errors/host-error.ts";
import { OpsErrors } from "../../errors/codes/ops.ts";

export interface ListenAddress {
  hostname: string;
  port: number;
}

export function parseListen(value: string): ListenAddress {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s[\]]*)):(\d{1,5})$/.exec(value.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) {
    throw new HostError(OpsErrors.METRICS_BAD_LISTEN, `metrics.listen "${value}" is not of the form host:port.`);
  }
  // No host means loopback: the endpoint shows balances and earnings, so exposing it must be a deliberate choice.
  return { hostname: match[1] ?? (match[2] || "127.0.0.1"), port };
}

/** A URL this machine can reach the endpoint at (a wildcard bind is reached through loopback). */
export function localUrl(address: ListenAddress, path = ""): string {
  const host = address.hostname === "0.0.0.0" ? "127.0.0.1" : address.hostname === "::" ? "::1" : address.hostname;
  return `http://${host.includes(":") ? `[${host}]` : host}:${address.port}${path}`;
}
