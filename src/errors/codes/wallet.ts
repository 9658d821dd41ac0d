/** FH0100–FH0199: the host key and secret stores. Codes are never renumbered or reused. */
import { defineCodes } from "./define.ts";

export const WalletErrors = defineCodes({});
