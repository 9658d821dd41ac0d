/** FH0700–FH0799: installers and self-update. Codes are never renumbered or reused. */
import { defineCodes } from "./define.ts";

export const ShipErrors = defineCodes({});
