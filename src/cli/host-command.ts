/**
 * Base of every command: the global options, context set-up (paths, output mode), and one place that turns a thrown
 * error into the right message, envelope and exit code. Subclasses implement `run()` and return an exit code or nothing.
 */
import { Command, Option } from "clipanion";
import type { HostContext } from "../context.ts";
import { reportError } from "./output.ts";
import { shouldColor } from "./style.ts";

export abstract class HostCommand extends Command<HostContext> {
  json = Option.Boolean("--json", false, { description: "Print one JSON envelope on stdout instead of text" });
  // Global options every command accepts; hidden from each command's synopsis and documented once in the manual.
  verbose = Option.Boolean("--verbose", false, { description: "More detail, and stack traces on errors", hidden: true });
  quiet = Option.Boolean("--quiet,-q", false, { description: "Only print results and errors", hidden: true });
  configDir = Option.String("--config-dir", { description: "Keep all state in this directory", hidden: true });

  /**
   * True where the command's first chain request is the network check (openHost, openReader): the command line then
   * posts that check while the command loads (chain/early-check.ts). The generated manifest carries it.
   */
  static readonly checksNetwork: boolean = false;

  /** Set when `catch` reported a failure, so the CLI can return the right exit code. */
  failureExitCode: number | undefined;

  abstract run(): Promise<number | void>;

  async execute(): Promise<number> {
    this.prepareContext();
    const code = await this.run();
    return code ?? 0;
  }

  override async catch(error: unknown): Promise<void> {
    this.prepareContext();
    this.failureExitCode = reportError(this.context, error);
  }

  private prepared = false;
  private prepareContext(): void {
    if (this.prepared) return;
    this.prepared = true;
    const context = this.context;
    context.output = {
      json: this.json,
      verbose: this.verbose,
      quiet: this.quiet,
      color: !this.json && shouldColor(context.env, context.isTTY.stdout),
    };
  }
}
