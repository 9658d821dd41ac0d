/**
 * Who gets a WebSocket on the public port. Three rules keep one address from locking everyone out:
 * - each address (an IPv6 /64 counts as one) holds at most `perAddress` sockets, well under the global cap, so a
 *   single address can never fill the port;
 * - at the global cap a newcomer is let in ahead of a socket doing nothing: the oldest one that never sent a
 *   `session_init` goes first, then the one quiet the longest (past `quietMs`); only when every socket is busy is the
 *   newcomer turned away;
 * - sockets that never send a `session_init` are closed after a deadline (the front's sweep, see front.ts).
 */

export interface AdmissionLimits {
  /** Sockets on the whole port. */
  maxConnections: number;
  /** Sockets one address may hold. */
  perAddress: number;
  /** A socket with no frame either way for this long may give its place to a newcomer. */
  quietMs: number;
}

export interface Admitted {
  address: string;
  openedAt: number;
  lastActivity: number;
  /** Whether it sent a session_init (one the front let through or is checking). */
  initSeen: boolean;
}

export type AdmissionVerdict<T> = { admit: true; evict?: T } | { admit: false; reason: "address_full" | "host_full" };

/**
 * The per-address limit for a global cap: a quarter of it, at least 8 (an app running sessions side by side, or
 * clients behind one NAT), and always below the cap.
 */
export function defaultPerAddress(maxConnections: number): number {
  return Math.max(1, Math.min(maxConnections - 1, Math.max(8, Math.floor(maxConnections / 4))));
}

/** One key per client: an IPv4 address (mapped IPv6 forms included) or the /64 an IPv6 address belongs to. */
export function addressKey(address: string | undefined): string {
  if (!address) return "unknown";
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(":")) return address;
  const [head, tail = ""] = address.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = address.includes("::") ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => (g || "0").toLowerCase().replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

export class Admission<T extends { data: Admitted }> {
  private readonly byAddress = new Map<string, number>();
  private readonly sockets = new Set<T>();

  constructor(private readonly limits: AdmissionLimits) {}

  get size(): number {
    return this.sockets.size;
  }

  all(): Iterable<T> {
    return this.sockets;
  }

  /** Whether a newcomer from `address` may open a socket, and whom it replaces when the port is full. */
  consider(address: string, now: number): AdmissionVerdict<T> {
    if ((this.byAddress.get(address) ?? 0) >= this.limits.perAddress) return { admit: false, reason: "address_full" };
    if (this.sockets.size < this.limits.maxConnections) return { admit: true };
    const evict = this.idlest(now);
    return evict ? { admit: true, evict } : { admit: false, reason: "host_full" };
  }

  add(socket: T): void {
    this.sockets.add(socket);
    this.byAddress.set(socket.data.address, (this.byAddress.get(socket.data.address) ?? 0) + 1);
  }

  /** Counted once per socket, however often it is called. */
  remove(socket: T): void {
    if (!this.sockets.delete(socket)) return;
    const left = (this.byAddress.get(socket.data.address) ?? 1) - 1;
    if (left > 0) this.byAddress.set(socket.data.address, left);
    else this.byAddress.delete(socket.data.address);
  }

  /** Sockets past the session_init deadline. */
  withoutInit(now: number, deadlineMs: number): T[] {
    return [...this.sockets].filter((s) => !s.data.initSeen && now - s.data.openedAt >= deadlineMs);
  }

  private idlest(now: number): T | undefined {
    let best: T | undefined;
    for (const socket of this.sockets) {
      const d = socket.data;
      if (d.initSeen && now - d.lastActivity < this.limits.quietMs) continue;
      // Never-initialised sockets first (oldest first), then the quietest.
      if (!best || rank(d) < rank(best.data)) best = socket;
    }
    return best;
  }
}

function rank(d: Admitted): number {
  return d.initSeen ? d.lastActivity : d.openedAt - Number.MAX_SAFE_INTEGER / 2;
}
