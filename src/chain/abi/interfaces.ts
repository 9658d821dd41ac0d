/**
 * ethers Interfaces of the project's ABIs, built when first used and kept. ethers parses every entry of a
 * human-readable ABI when an Interface is built: the five ABIs `status` reads from took 5–9 ms of a cold start, more
 * than the rest of the command before its first request. So a module never builds one at load, and a call or an event
 * takes an Interface of its own entry only (`memberInterface`); decoding a log or a transaction whose member is not
 * known beforehand takes the whole ABI (`abiInterface`).
 */
import { AbiCoder, Interface, type FunctionFragment, type LogDescription, type Result } from "ethers";

type Abi = readonly string[];

const whole = new WeakMap<Abi, Interface>();
const members = new WeakMap<Abi, Map<string, Interface>>();

/** The whole ABI as one Interface. */
export function abiInterface(abi: Abi): Interface {
  let found = whole.get(abi);
  if (!found) whole.set(abi, (found = new Interface(abi)));
  return found;
}

/** An Interface of `name`'s entries only (every overload): a function, an event or an error. */
export function memberInterface(abi: Abi, name: string): Interface {
  let byName = members.get(abi);
  if (!byName) members.set(abi, (byName = new Map()));
  let found = byName.get(name);
  if (!found) {
    const entries = abi.filter((entry) => ["function", "event", "error"].some((kind) => entry.startsWith(`${kind} ${name}(`)));
    if (entries.length === 0) throw new Error(`the ABI has no member named ${name}`);
    byName.set(name, (found = new Interface(entries)));
  }
  return found;
}

/** A function's fragment and selector, looked up once: ethers finds the fragment by name and hashes its signature again on every encodeFunctionData. */
const functions = new WeakMap<Interface, { fragment: FunctionFragment; selector: string } | null>();

function soleFunction(iface: Interface): { fragment: FunctionFragment; selector: string } | null {
  let found = functions.get(iface);
  if (found === undefined) {
    const only = iface.fragments.length === 1 && iface.fragments[0]!.type === "function" ? (iface.fragments[0] as FunctionFragment) : null;
    functions.set(iface, (found = only ? { fragment: only, selector: only.selector } : null));
  }
  return found;
}

/** Calldata of `name(args)`: the selector, then the arguments as ethers' own encodeFunctionData encodes them. */
export function encodeCall(abi: Abi, name: string, args: readonly unknown[]): string {
  const iface = memberInterface(abi, name);
  const sole = soleFunction(iface);
  // An overloaded name is left to ethers, which picks the overload from the arguments.
  if (!sole) return iface.encodeFunctionData(name, args);
  return sole.selector + AbiCoder.defaultAbiCoder().encode(sole.fragment.inputs, args).slice(2);
}

/** The decoded return data of `name`. */
export function decodeResult(abi: Abi, name: string, data: string): Result {
  return memberInterface(abi, name).decodeFunctionResult(name, data);
}

/** The topic hash of event `name`. */
export function eventTopic(abi: Abi, name: string): string {
  return memberInterface(abi, name).getEvent(name)!.topicHash;
}

/**
 * Event topics under short names, each hashed when first read: `eventTopics({ proof: [ABI, "ProofSubmitted"] }).proof`.
 * A module keeps such a table at load without building an Interface then.
 */
export function eventTopics<K extends string>(events: Record<K, readonly [Abi, string]>): Readonly<Record<K, string>> {
  const topics = {} as Record<K, string>;
  for (const [key, [abi, name]] of Object.entries(events) as [K, readonly [Abi, string]][]) {
    Object.defineProperty(topics, key, { enumerable: true, get: () => eventTopic(abi, name) });
  }
  return topics;
}

/** A log decoded as one of the named events (its first topic says which), or null for any other log. */
export function parseEventLog(abi: Abi, names: readonly string[], log: { topics: readonly string[]; data: string }): LogDescription | null {
  const name = names.find((candidate) => eventTopic(abi, candidate) === log.topics[0]);
  return name ? memberInterface(abi, name).parseLog(log) : null;
}
