/**
 * Options that many commands share, declared once here so each has one spelling and one description everywhere (the
 * model is Foundry's wallet options, flattened into every command that signs). Commands get them by extending the base
 * classes in key-commands.ts rather than by declaring them again.
 */
import { Option } from "clipanion";

export const passwordFileOption = () =>
  Option.String("--password-file", {
    description: "Read the keystore password from this file (mode 600); the password itself is never a flag value",
  });

export const yesOption = () => Option.Boolean("--yes,-y", false, { description: "Answer yes to every confirmation (needed without a terminal)" });
