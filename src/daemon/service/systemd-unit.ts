/**
 * systemd units, as pure functions of their inputs. The main unit (fabstir-host.service) is the fixed shape: how to
 * run, restart and confine the host. The drop-in (fabstir-host.service.d/10-fabstir.conf) holds this installation's
 * settings: where the state lives, the password credential. People add their own drop-ins (`systemctl edit`), which
 * sort after ours and win.
 */
import { withFingerprint } from "./managed-file.ts";

export const UNIT_NAME = "fabstir-host.service";
export const DROP_IN_NAME = "10-fabstir.conf";
/** The process reads the keystore password from $CREDENTIALS_DIRECTORY/<this name>. */
export const PASSWORD_CREDENTIAL = "fabstir-password";
export const DEFAULT_CREDENTIAL_FILE = "/etc/fabstir-host/password";

export type ServiceScope = "system" | "user";

/** Comment lines in [Service]: the node's internal port is open on every address unless a firewall closes it. */
export const NODE_PORT_NOTE = [
  "# fabstir-llm-node listens on 0.0.0.0 at node.internalPort (8081 unless changed) and cannot be told to bind",
  "# loopback. IPAddressDeny= would filter every socket of this unit (the public port, the RPC), not one port:",
  "# close node.internalPort in the firewall, e.g. `ufw deny 8081/tcp` or",
  "# `iptables -I INPUT -p tcp --dport 8081 ! -i lo -j DROP`. Clients need only node.apiPort (8080).",
];

export interface SystemdUnitOptions {
  scope: ServiceScope;
  /** The program and its arguments, e.g. ["/usr/local/bin/fabstir-host", "start"]. */
  execStart: string[];
  /** System scope: the account the host runs as. */
  user?: string;
  /** A helper that loads the NVIDIA UVM module before the host drops privileges (system scope), when present. */
  nvidiaModprobe?: string | null;
}

export interface SystemdDropInOptions {
  scope: ServiceScope;
  /** FABSTIR_HOME: the one directory the host may write. */
  home: string;
  restartSec: number;
  /** File holding the keystore password, passed as a systemd credential; null = none (keychain, or set up later). */
  credentialFile: string | null;
  logLevel?: string;
}

/** Quotes one word for ExecStart= and friends: `%` is a specifier and `$` an expansion in systemd. */
export function systemdWord(word: string): string {
  const escaped = word.replace(/%/g, "%%").replace(/\$/g, "$$$$");
  if (/^[A-Za-z0-9_@%$+=:,./-]+$/.test(escaped)) return escaped;
  return `"${escaped.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

function environmentLine(name: string, value: string): string {
  return `Environment=${systemdWord(`${name}=${value}`)}`;
}

export function renderSystemdUnit(options: SystemdUnitOptions): string {
  const system = options.scope === "system";
  const lines = [
    "[Unit]",
    "Description=Fabstir host: LLM inference for the Fabstir network",
    "Documentation=https://github.com/fabstir",
    ...(system ? ["Wants=network-online.target", "After=network-online.target"] : []),
    // Give up after 10 failed starts in 10 minutes instead of hammering a broken setup forever.
    "StartLimitIntervalSec=600",
    "StartLimitBurst=10",
    "",
    "[Service]",
    "Type=simple",
    `ExecStart=${options.execStart.map(systemdWord).join(" ")}`,
    // `systemctl reload fabstir-host`: the host re-reads its config without dropping sessions (see OPERATIONS.md).
    "ExecReload=/bin/kill -HUP $MAINPID",
    "Restart=on-failure",
    "RestartSec=5",
    // TERM goes to the host only; it drains sessions and stops the node itself before the timeout.
    "KillMode=mixed",
    "TimeoutStopSec=90",
    // Said in the unit itself, where an administrator looks: the node binds 0.0.0.0 (fabstir-llm-node@85a87b8
    // src/main.rs:329) and systemd cannot filter one port of a unit.
    ...NODE_PORT_NOTE,
    "LimitNOFILE=65536",
    "UMask=0077",
    "NoNewPrivileges=yes",
  ];
  if (system) {
    if (options.nvidiaModprobe) {
      // NoNewPrivileges stops the setuid nvidia-modprobe CUDA relies on to load nvidia-uvm; run it first, privileged ("+"),
      // and ignore its failure ("-") on machines without NVIDIA GPUs.
      lines.push(`ExecStartPre=-+${systemdWord(options.nvidiaModprobe)} -u -c=0`);
    }
    lines.push(
      `User=${options.user ?? "fabstir"}`,
      `Group=${options.user ?? "fabstir"}`,
      "ProtectSystem=strict",
      "ProtectHome=read-only",
      "PrivateTmp=yes",
      "ProtectKernelTunables=yes",
      "ProtectKernelModules=yes",
      "ProtectControlGroups=yes",
      "RestrictSUIDSGID=yes",
      "LockPersonality=yes",
      "RestrictRealtime=yes",
      "SystemCallArchitectures=native",
      // No PrivateDevices= and no DevicePolicy=: the GPU device nodes (/dev/nvidia*, /dev/nvidia-uvm, /dev/dri, /dev/kfd)
      // must stay reachable for inference.
    );
  } else {
    // Per-user managers can only apply the namespace-based options with unprivileged user namespaces, which many
    // distributions disable; a unit that fails to start protects nothing, so user units keep to what always works.
  }
  lines.push("", "[Install]", `WantedBy=${system ? "multi-user.target" : "default.target"}`, "");
  return withFingerprint(lines.join("\n"), "hash");
}

export function renderSystemdDropIn(options: SystemdDropInOptions): string {
  const lines = [
    "# Settings of this installation, rewritten by `fabstir-host service install`.",
    "# Put your own changes in another drop-in: systemctl edit fabstir-host",
    "[Service]",
    environmentLine("FABSTIR_HOME", options.home),
    ...(options.logLevel ? [environmentLine("FABSTIR_LOGGING_LEVEL", options.logLevel)] : []),
    `RestartSec=${Math.max(1, Math.round(options.restartSec))}`,
  ];
  if (options.scope === "system") {
    lines.push(`ReadWritePaths=${systemdWord(options.home)}`);
  }
  if (options.credentialFile) {
    // systemd copies the file into a private, memory-backed directory only this service can read:
    // the password never sits in the environment or on the command line.
    lines.push(`LoadCredential=${PASSWORD_CREDENTIAL}:${options.credentialFile.replace(/%/g, "%%")}`);
  }
  lines.push("");
  return withFingerprint(lines.join("\n"), "hash");
}
