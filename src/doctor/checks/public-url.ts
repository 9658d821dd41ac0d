/** Can clients reach the public URL? Any HTTP answer counts: the point is the network path, not the page. */
import type { DoctorCheck } from "../types.ts";

export const PUBLIC_URL_TIMEOUT_MS = 5_000;

function isPrivateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "");
  return (
    host === "localhost" ||
    host === "::1" ||
    /^127\./.test(host) ||
    /^10\./.test(host) ||
    /^192\.168\./.test(host) ||
    /^172\.(1[6-9]|2\d|3[01])\./.test(host) ||
    /^0\.0\.0\.0$/.test(host)
  );
}

export const publicUrlCheck: DoctorCheck = {
  id: "public-url",
  title: "Public URL reachable",
  async run(ctx) {
    const url = ctx.config?.publicUrl;
    if (!url)
      return {
        status: "warn",
        summary: "no public URL configured: clients cannot find this host",
        fix: "Run `fabstir-host update url https://<your-host>:<port>`.",
      };
    const local = ctx.config?.network === "local";
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return { status: "fail", summary: `${url} is not a valid URL`, fix: "Run `fabstir-host update url https://<your-host>:<port>`." };
    }
    const started = ctx.clock.now();
    try {
      const response = await ctx.fetch(url, { method: "GET", redirect: "manual", signal: AbortSignal.timeout(PUBLIC_URL_TIMEOUT_MS) });
      await response.body?.cancel().catch(() => {});
      const ms = ctx.clock.now() - started;
      const details = { url, status: response.status, ms };
      if (!local && isPrivateHost(parsed.hostname)) {
        return {
          status: "warn",
          summary: `${url} answers (HTTP ${response.status}), but it is a private address clients on the internet cannot reach`,
          fix: "Register a public hostname or IP with `fabstir-host update url`.",
          details,
        };
      }
      return { status: "pass", summary: `${url} answered HTTP ${response.status} in ${ms} ms`, details };
    } catch (error) {
      const reason = (error as Error).name === "TimeoutError" ? `no answer within ${PUBLIC_URL_TIMEOUT_MS / 1000} s` : (error as Error).message;
      const running = await ctx.hostRunning();
      return {
        status: running ? "fail" : "warn",
        summary: `${url} is not reachable: ${reason}${running ? "" : " (expected while the host is not started)"}`,
        fix: "Start the host (`fabstir-host start`), then check DNS, the firewall and port forwarding to the API port.",
        details: { url, error: reason },
      };
    }
  },
};
