/**
 * Console output of the stand-in, shaped like the real node's: plain emoji
 * lines for milestones (the host's supervisor parses some of them) and
 * `RUST_LOG`-filtered detail lines.
 *
 * Every line passes through a redactor holding the host key, so a secret can
 * never reach stdout even if some library error message were to embed it.
 */

export interface SimLog {
  /** A milestone line, printed exactly as given (the supervisor matches these). */
  say(line: string): void;
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
  /** Error lines go to stderr, like the real node's fatal errors. */
  error(message: string): void;
}

export interface LogSinks {
  out: (line: string) => void;
  err: (line: string) => void;
}

/**
 * Like the real node (Rust ignores SIGPIPE, and its tracing writer drops failed writes), a log line that cannot be
 * written (the process that read our output is gone) is dropped, not fatal: the node keeps serving until it is told
 * to stop, and its session index can still be read.
 */
function tolerantWrite(stream: NodeJS.WriteStream, line: string): void {
  try {
    stream.write(`${line}\n`);
  } catch {
    // the reader is gone
  }
}
for (const stream of [process.stdout, process.stderr]) stream.on?.("error", () => {});

const defaultSinks: LogSinks = {
  out: (line) => tolerantWrite(process.stdout, line),
  err: (line) => tolerantWrite(process.stderr, line),
};

/** Builds the redactor for one secret, matching it with or without its 0x prefix. */
export function makeRedactor(secret: string | undefined): (text: string) => string {
  if (!secret) return (text) => text;
  const bare = secret.replace(/^0x/i, "");
  const pattern = new RegExp(`(0x)?${bare}`, "gi");
  return (text) => text.replace(pattern, "[REDACTED]");
}

function debugEnabled(rustLog: string): boolean {
  return /\b(debug|trace)\b/i.test(rustLog);
}

function stamp(): string {
  return new Date().toISOString();
}

export function createSimLog(rustLog: string, secret: string | undefined, sinks: LogSinks = defaultSinks): SimLog {
  const redact = makeRedactor(secret);
  const withDebug = debugEnabled(rustLog);
  const out = (line: string) => sinks.out(redact(line));
  return {
    say: out,
    info: (message) => out(`${stamp()}  INFO fabstir_llm_node: ${message}`),
    warn: (message) => out(`${stamp()}  WARN fabstir_llm_node: ${message}`),
    debug: (message) => {
      if (withDebug) out(`${stamp()} DEBUG fabstir_llm_node: ${message}`);
    },
    error: (message) => sinks.err(redact(message)),
  };
}
