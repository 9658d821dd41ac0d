/**
 * Where all state lives. One root (`--config-dir`, else `FABSTIR_HOME`, else ~/.fabstir/host) so a host can move
 * everything, and tests can give every run its own directory.
 */
import { join } from "node:path";

export interface Paths {
  home: string;
  configFile: string;
  backupsDir: string;
  keystoreDir: string;
  stateDir: string;
  logsDir: string;
  nodeDir: string;
  modelsDir: string;
  runDir: string;
  cacheDir: string;
}

export function resolveHome(options: { configDir?: string; env: Record<string, string | undefined>; homeDir: string }): string {
  if (options.configDir) return options.configDir;
  const fromEnv = options.env.FABSTIR_HOME;
  if (fromEnv && fromEnv.trim() !== "") return fromEnv;
  return join(options.homeDir, ".fabstir", "host");
}

export function pathsFor(home: string): Paths {
  return {
    home,
    configFile: join(home, "config.json"),
    backupsDir: join(home, "backups"),
    keystoreDir: join(home, "keystore"),
    stateDir: join(home, "state"),
    logsDir: join(home, "logs"),
    nodeDir: join(home, "node"),
    modelsDir: join(home, "models"),
    runDir: join(home, "run"),
    cacheDir: join(home, "cache"),
  };
}
