/** The launchd job for macOS (a per-user LaunchAgent): restarted when it exits with an error, logs in the logs dir. */
import { withFingerprint } from "./managed-file.ts";

export const LAUNCHD_LABEL = "com.fabstir.host";

export interface LaunchdOptions {
  programArguments: string[];
  home: string;
  logsDir: string;
}

const xml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export function renderLaunchdPlist(options: LaunchdOptions): string {
  const strings = (values: string[]) => values.map((value) => `      <string>${xml(value)}</string>`).join("\n");
  const body = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
  <dict>
    <key>Label</key>
    <string>${LAUNCHD_LABEL}</string>
    <key>ProgramArguments</key>
    <array>
${strings(options.programArguments)}
    </array>
    <key>EnvironmentVariables</key>
    <dict>
      <key>FABSTIR_HOME</key>
      <string>${xml(options.home)}</string>
      <key>PATH</key>
      <string>/opt/homebrew/bin:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin</string>
    </dict>
    <key>WorkingDirectory</key>
    <string>${xml(options.home)}</string>
    <key>RunAtLoad</key>
    <true/>
    <!-- Restart after a crash or an error exit; a clean stop (fabstir-host stop) stays stopped. -->
    <key>KeepAlive</key>
    <dict>
      <key>SuccessfulExit</key>
      <false/>
    </dict>
    <key>ThrottleInterval</key>
    <integer>10</integer>
    <key>ProcessType</key>
    <string>Standard</string>
    <key>StandardOutPath</key>
    <string>${xml(options.logsDir)}/launchd-stdout.log</string>
    <key>StandardErrorPath</key>
    <string>${xml(options.logsDir)}/launchd-stderr.log</string>
  </dict>
</plist>
`;
  return withFingerprint(body, "xml");
}
