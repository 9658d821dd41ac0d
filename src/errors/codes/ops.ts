/** FH0600–FH0699: daemon, services, logs, metrics, alerts. Codes are never renumbered or reused. */
import { defineCodes } from "./define.ts";

export const OpsErrors = defineCodes({});
