/** FH0200–FH0299: the chain layer: networks, RPC, transactions. Codes are never renumbered or reused. */
import { defineCodes } from "./define.ts";

export const ChainErrors = defineCodes({});
