/**
 * Fake model output. The stand-in has no model, so it emits word-like tokens
 * from a fixed vocabulary, deterministic per prompt so test output is stable.
 */

const VOCABULARY = [
  " The",
  " host",
  " serves",
  " tokens",
  " on",
  " the",
  " Fabstir",
  " network",
  ",",
  " and",
  " every",
  " checkpoint",
  " is",
  " proven",
  " on",
  " chain",
  ".",
  " A",
  " model",
  " answers",
  " quickly",
  " while",
  " the",
  " client",
  " waits",
  " for",
  " more",
  " words",
  " to",
  " arrive",
];

function seedOf(text: string): number {
  let seed = 0;
  for (let i = 0; i < text.length; i++) seed = (seed * 31 + text.charCodeAt(i)) >>> 0;
  return seed;
}

/** The n-th token of the answer to a prompt. */
export function tokenText(prompt: string, n: number): string {
  const index = (seedOf(prompt) + n * 7) % VOCABULARY.length;
  return VOCABULARY[index] ?? " token";
}

/** A rough prompt token count (about four characters per token, like most BPE vocabularies). */
export function estimatePromptTokens(prompt: string): number {
  return Math.max(1, Math.ceil(prompt.length / 4));
}

/** The whole answer at once, for the non-streaming HTTP endpoint. */
export function answerText(prompt: string, tokens: number): string {
  let text = "";
  for (let n = 0; n < tokens; n++) text += tokenText(prompt, n);
  return text.trimStart();
}
