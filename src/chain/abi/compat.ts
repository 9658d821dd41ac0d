/**
 * Compares the project's ABI fragments with a published ABI (JSON). A function or event the CLI uses must exist there
 * with the same name, the same input types (and indexed flags), the same output types and the same mutability:
 * otherwise calls encode to a selector the contract does not know, or results decode into garbage.
 * Tuples are compared by their components (canonical types), never by parameter names.
 */
import { ErrorFragment, EventFragment, FunctionFragment, Interface, type InterfaceAbi, type ParamType } from "ethers";

export interface AbiDrift {
  /** `Contract.name`, e.g. "NodeRegistryWithModels.getNodeFullInfo". */
  item: string;
  problem: string;
}

const types = (params: readonly ParamType[]): string => `(${params.map((p) => p.format("sighash")).join(",")})`;
const eventInputs = (params: readonly ParamType[]): string => `(${params.map((p) => `${p.format("sighash")}${p.indexed ? " indexed" : ""}`).join(",")})`;

export function findAbiDrift(contract: string, ours: InterfaceAbi, live: InterfaceAbi): AbiDrift[] {
  const mine = new Interface(ours);
  const theirs = new Interface(live);
  const drift: AbiDrift[] = [];
  const report = (name: string, problem: string) => drift.push({ item: `${contract}.${name}`, problem });

  mine.forEachFunction((fn) => {
    const candidates = liveFunctions(theirs, fn.name);
    if (candidates.length === 0) return report(fn.name, "function is missing from the live ABI");
    const match = candidates.find((other) => types(other.inputs) === types(fn.inputs));
    if (!match) {
      return report(fn.name, `input types differ: ours ${types(fn.inputs)}, live ${candidates.map((c) => types(c.inputs)).join(" | ")}`);
    }
    if (types(match.outputs) !== types(fn.outputs)) {
      report(fn.name, `output types differ: ours ${types(fn.outputs)}, live ${types(match.outputs)}`);
    }
    if (match.stateMutability !== fn.stateMutability) {
      report(fn.name, `mutability differs: ours ${fn.stateMutability}, live ${match.stateMutability}`);
    }
  });

  mine.forEachEvent((event) => {
    const candidates = liveFragments(theirs, EventFragment.isFragment, event.name) as EventFragment[];
    if (candidates.length === 0) return report(event.name, "event is missing from the live ABI");
    const match = candidates.find((other) => eventInputs(other.inputs) === eventInputs(event.inputs));
    if (!match) {
      return report(event.name, `event inputs differ: ours ${eventInputs(event.inputs)}, live ${candidates.map((c) => eventInputs(c.inputs)).join(" | ")}`);
    }
    if (match.anonymous !== event.anonymous) report(event.name, "anonymous flag differs");
  });

  for (const fragment of mine.fragments) {
    if (!ErrorFragment.isFragment(fragment)) continue;
    const candidates = liveFragments(theirs, ErrorFragment.isFragment, fragment.name) as ErrorFragment[];
    if (candidates.length === 0) report(fragment.name, "error is missing from the live ABI");
    else if (!candidates.some((other) => types(other.inputs) === types(fragment.inputs))) {
      report(fragment.name, `error inputs differ: ours ${types(fragment.inputs)}, live ${types(candidates[0]!.inputs)}`);
    }
  }
  return drift;
}

function liveFunctions(iface: Interface, name: string): FunctionFragment[] {
  return liveFragments(iface, FunctionFragment.isFragment, name) as FunctionFragment[];
}

function liveFragments(iface: Interface, isKind: (value: unknown) => boolean, name: string): Array<{ name: string }> {
  return iface.fragments.filter((f) => isKind(f) && (f as unknown as { name: string }).name === name) as unknown as Array<{ name: string }>;
}

/** One readable line per drift, for test failures and `doctor`. */
export function formatAbiDrift(drift: readonly AbiDrift[]): string {
  return drift.map((d) => `${d.item}: ${d.problem}`).join("\n");
}
