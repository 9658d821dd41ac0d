import type { DoctorCheck } from "../types.ts";
import { fixFromHint } from "../fix-text.ts";

export const configCheck: DoctorCheck = {
  id: "config",
  title: "Configuration",
  async run(ctx) {
    const { error, fileExists } = ctx.configState;
    if (error) return { status: "fail", summary: `${error.message} (${error.code})`, fix: fixFromHint(error.hint, "Run `fabstir-host config validate`.") };
    if (!fileExists) return { status: "warn", summary: `no config file in ${ctx.paths.home} yet: using defaults`, fix: "Run `fabstir-host init`." };
    return { status: "pass", summary: `${ctx.paths.configFile} (network ${ctx.config?.network})` };
  },
};
