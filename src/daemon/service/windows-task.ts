/**
 * Windows: a Task Scheduler task (a Bun binary does not speak the service control protocol `sc.exe` services need).
 * Starts at logon (per user) or at boot (as SYSTEM), restarts on failure, never times out. Registered with
 * `schtasks /Create /XML`, which expects UTF-16.
 */
import { withFingerprint } from "./managed-file.ts";

export const WINDOWS_TASK_NAME = "fabstir-host";

export interface WindowsTaskOptions {
  scope: "system" | "user";
  command: string;
  arguments: string[];
  home: string;
  /** DOMAIN\user for the per-user task. */
  userId?: string;
}

const xml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Windows command-line quoting for one argument (CommandLineToArgvW rules). */
export function windowsArg(arg: string): string {
  if (arg !== "" && !/[\s"]/.test(arg)) return arg;
  return `"${arg.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\+)$/, "$1$1")}"`;
}

export function renderWindowsTask(options: WindowsTaskOptions): string {
  const system = options.scope === "system";
  const trigger = system
    ? "    <BootTrigger>\n      <Enabled>true</Enabled>\n    </BootTrigger>"
    : `    <LogonTrigger>\n      <Enabled>true</Enabled>${options.userId ? `\n      <UserId>${xml(options.userId)}</UserId>` : ""}\n    </LogonTrigger>`;
  const principal = system
    ? "      <UserId>S-1-5-18</UserId>\n      <RunLevel>HighestAvailable</RunLevel>"
    : `${options.userId ? `      <UserId>${xml(options.userId)}</UserId>\n` : ""}      <LogonType>InteractiveToken</LogonType>\n      <RunLevel>LeastPrivilege</RunLevel>`;
  const body = `<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo>
    <Description>Fabstir host: LLM inference for the Fabstir network</Description>
    <URI>\\${WINDOWS_TASK_NAME}</URI>
  </RegistrationInfo>
  <Triggers>
${trigger}
  </Triggers>
  <Principals>
    <Principal id="Author">
${principal}
    </Principal>
  </Principals>
  <Settings>
    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
    <StartWhenAvailable>true</StartWhenAvailable>
    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>
    <RestartOnFailure>
      <Interval>PT1M</Interval>
      <Count>999</Count>
    </RestartOnFailure>
    <Enabled>true</Enabled>
  </Settings>
  <Actions Context="Author">
    <Exec>
      <Command>${xml(options.command)}</Command>
      <Arguments>${xml(options.arguments.map(windowsArg).join(" "))}</Arguments>
      <WorkingDirectory>${xml(options.home)}</WorkingDirectory>
    </Exec>
  </Actions>
</Task>
`;
  return withFingerprint(body, "xml");
}
