/**
 * FH0900–FH0999: warnings. A command that warns still does its work; the warning says what to look at, with a code
 * the docs explain like an error's. Codes are never renumbered or reused.
 */
import { defineCodes } from "./define.ts";

export const Warnings = defineCodes({
  SECRET_FILE_READABLE: {
    code: "FH0900",
    title: "A secret file other users can read",
    kind: "warning",
    cause: "A password or key file given to fabstir-host is readable by other users of this machine.",
    fix: "Run `chmod 600 <file>` (or delete the file once it is no longer needed).",
  },
  KEYLESS_NODE: {
    code: "FH0901",
    title: "The node runs without a key: encrypted sessions fail",
    kind: "warning",
    cause:
      'With node.signer = "cli" the node gets no host key, so it answers the SDK\'s encrypted session_init (the SDK default) with ENCRYPTION_NOT_SUPPORTED.',
    fix: 'Use node.signer = "node" (the default) unless your clients open plaintext sessions.',
  },
  PRICE_BELOW_BREAK_EVEN: {
    code: "FH0902",
    title: "A price below break-even",
    kind: "warning",
    cause: "At the proofInterval clients use and the current gas price, one checkpoint at this price earns less than the proof costs.",
    fix: "See `fabstir-host pricing check` for the break-even price and set at least that with `fabstir-host pricing set`.",
  },
  UPDATE_WHILE_RUNNING: {
    code: "FH0903",
    title: "A running host keeps the old version",
    kind: "warning",
    cause: "The binary was replaced while a host runs from it; that host keeps running the old version until it restarts.",
    fix: "Restart the host when no session is active: `fabstir-host restart` (or `systemctl restart fabstir-host`).",
  },
  UNIT_EDITED: {
    code: "FH0904",
    title: "A service file changed by hand was kept",
    kind: "warning",
    cause: "The service file differs from what fabstir-host wrote, so it was left as it is.",
    fix: "Move your changes to a drop-in (systemctl edit fabstir-host), delete the file and install again, or use --force.",
  },
  SERVICE_SETUP: {
    code: "FH0905",
    title: "The service needs one more step",
    kind: "warning",
    cause: "The service was installed, but something it needs (a password file, lingering, a firewall rule for the node's port) is not in place.",
    fix: "Do what the warning says; `fabstir-host doctor` checks the node's port.",
  },
});
