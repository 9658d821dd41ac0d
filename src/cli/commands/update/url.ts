import { Command, Option } from "clipanion";
import { SigningCommand } from "../../key-commands.ts";
import { writeResult } from "../../output.ts";
import { updateUrl } from "../../../host/registration/edit.ts";
import { operationHooks, planJson, renderSent } from "../../../host/operation/present.ts";

export class UpdateUrlCommand extends SigningCommand {
  static override paths = [["update", "url"]];
  static override readonly checksNetwork = true;

  static override usage = Command.Usage({
    category: "Host operations",
    description: "Change the public API URL on chain",
    details:
      "The URL must be http(s). Before sending, it is checked to answer (any HTTP answer to GET <url>/health); --no-check skips that. Also sets publicUrl in the config.",
    examples: [
      ["Change the URL", "$0 update url https://host.example.org:8080"],
      ["Publish it before the host is up", "$0 update url https://host.example.org:8080 --no-check"],
    ],
  });

  url = Option.String({ name: "url" });
  check = Option.Boolean("--check", true, { description: "Check that the URL answers before sending (--no-check skips)" });

  async run(): Promise<void> {
    const context = this.context;
    const result = await updateUrl(context, { url: this.url, check: this.check, passwordFile: this.passwordFile }, operationHooks(context, { yes: this.yes }));
    writeResult(context, { ...result, plan: planJson(result.plan) }, () =>
      result.unchanged
        ? `The chain already has ${result.url}; nothing sent.`
        : [`API URL on chain: ${result.url} (was ${result.previous}).`, renderSent(result.sent)].join("\n"),
    );
  }
}
