/** Models are written `repo:file` (as in the ModelRegistry); files come from `<base>/<repo>/resolve/main/<file>`. */
import { join, normalize, sep } from "node:path";
import { HostError } from "../../errors/host-error.ts";
import { NodeErrors } from "../../errors/codes/node.ts";

export const DEFAULT_MODEL_HOST = "https://huggingface.co";

export interface ModelRef {
  repo: string;
  file: string;
}

const REPO = /^[A-Za-z0-9][A-Za-z0-9._-]*\/[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function parseModelRef(text: string): ModelRef {
  const at = text.indexOf(":");
  const repo = at > 0 ? text.slice(0, at).trim() : "";
  const file = at > 0 ? text.slice(at + 1).trim() : "";
  if (!REPO.test(repo) || file === "") {
    throw new HostError(NodeErrors.MODEL_REF_INVALID, `"${text}" is not a model name of the form owner/repository:file.`, {
      hint: "Try: CohereForAI/TinyVicuna-1B-32k-GGUF:tiny-vicuna-1b.q4_k_m.gguf",
    });
  }
  assertSafeFile(file);
  return { repo, file };
}

/** The file may sit in a folder of the repository, but must never climb out of the models directory. */
function assertSafeFile(file: string): void {
  const normal = normalize(file);
  if (file.startsWith("/") || file.includes("\\") || normal.split(sep).includes("..") || normal.startsWith(".")) {
    throw new HostError(NodeErrors.DOWNLOAD_INVALID_URL, `The model file name "${file}" is not a plain path inside the repository.`);
  }
}

export function modelUrl(baseUrl: string, ref: ModelRef): string {
  const base = baseUrl.replace(/\/+$/, "");
  const encode = (path: string) => path.split("/").map(encodeURIComponent).join("/");
  return `${base}/${encode(ref.repo)}/resolve/main/${encode(ref.file)}`;
}

/** Where the node's MODEL_PATH points for this model. */
export function modelPath(modelsDir: string, ref: ModelRef): string {
  return join(modelsDir, ref.file);
}
