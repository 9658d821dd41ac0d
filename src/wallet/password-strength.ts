/**
 * The minimum for a new keystore password. scrypt slows guessing, but a short or single-class password still falls
 * to a GPU in days, and a stolen keystore can be attacked offline forever.
 */
export interface StrengthVerdict {
  ok: boolean;
  /** What is missing, phrased for the person typing it. */
  problem?: string;
}

export const PASSWORD_RULE = "at least 12 characters, or a passphrase of at least 4 words, using more than one kind of character";

function characterClasses(password: string): number {
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/];
  return classes.filter((pattern) => pattern.test(password)).length;
}

export function checkPasswordStrength(password: string): StrengthVerdict {
  const words = password
    .trim()
    .split(/[\s\-_.]+/)
    .filter((word) => word.length >= 2);
  const longEnough = password.length >= 12 || (words.length >= 4 && password.length >= 10);
  if (!longEnough) {
    return { ok: false, problem: `it has ${password.length} characters; use ${PASSWORD_RULE}` };
  }
  if (characterClasses(password) < 2) {
    return { ok: false, problem: `it uses a single kind of character (only letters of one case, or only digits); use ${PASSWORD_RULE}` };
  }
  if (new Set(password).size <= 3) {
    return { ok: false, problem: `it repeats too few different characters; use ${PASSWORD_RULE}` };
  }
  return { ok: true };
}
