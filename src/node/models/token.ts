/** The model host's access token: HF_TOKEN, or the first line of --token-file. Registered as a secret at once. */
import { readFile } from "node:fs/promises";
import { HostError } from "../../errors/host-error.ts";
import { NodeErrors } from "../../errors/codes/node.ts";
import { registerSecret } from "../../util/redact.ts";

export async function readModelHostToken(env: Record<string, string | undefined>, tokenFile?: string): Promise<string | null> {
  if (tokenFile) {
    let text: string;
    try {
      text = await readFile(tokenFile, "utf8");
    } catch (error) {
      throw new HostError(NodeErrors.TOKEN_FILE_UNREADABLE, `Cannot read the token file ${tokenFile}: ${(error as NodeJS.ErrnoException).code ?? "error"}.`, {
        cause: error,
      });
    }
    const token = text.split(/\r?\n/)[0]?.trim() ?? "";
    if (!token) throw new HostError(NodeErrors.TOKEN_FILE_UNREADABLE, `The token file ${tokenFile} is empty.`);
    registerSecret(token);
    return token;
  }
  const fromEnv = env.HF_TOKEN?.trim();
  if (fromEnv) {
    registerSecret(fromEnv);
    return fromEnv;
  }
  return null;
}
