import { keccak256, toUtf8Bytes } from "ethers";

/** ModelRegistry.getModelId: keccak256(repo + "/" + file). */
export function modelId(repo: string, file: string): string {
  return keccak256(toUtf8Bytes(`${repo}/${file}`));
}
