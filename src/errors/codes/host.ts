/** FH0300–FH0399: host operations on chain. Codes are never renumbered or reused. */
import { defineCodes } from "./define.ts";

export const HostErrors = defineCodes({});
