/** FH0500–FH0599: sessions and proofs. Codes are never renumbered or reused. */
import { defineCodes } from "./define.ts";

export const SessionErrors = defineCodes({});
