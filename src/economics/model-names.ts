/** Names for model ids from the host's own config (repo:file → its bytes32 id), so reports need no registry read. */
import { modelIdFromInput } from "../host/models/registry.ts";

export function configuredModelNames(models: readonly string[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const ref of models) {
    try {
      const { id, ref: name } = modelIdFromInput(ref);
      if (name) names.set(id.toLowerCase(), name);
    } catch {
      // A malformed entry is the config validator's to report; the report shows the id instead.
    }
  }
  return names;
}
