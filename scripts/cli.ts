/**
 * What the command-line tools share: where they write, how commander's help and usage errors
 * become exit codes, and how a run's output is captured.
 */
import type { Command } from "commander";

/** Where a CLI writes: standard output and standard error by default. */
export interface CliIO {
  out: (text: string) => void;
  err: (text: string) => void;
}

export const STDIO: CliIO = { out: (t) => console.log(t), err: (t) => console.error(t) };

/**
 * Parses `argv` (node, script, ...args) with commander, writing its help and errors to `io`.
 * Returns the exit code when the CLI stops here: 0 after `--help` (an answer: commander exits
 * it with 0), 2 for bad usage; undefined when it goes on.
 */
export function parseCli(cli: Command, argv: string[], io: CliIO): number | undefined {
  cli.exitOverride().configureOutput({
    writeOut: (s) => io.out(s.trimEnd()),
    writeErr: (s) => io.err(s.trimEnd()),
  });
  try {
    cli.parse(argv);
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code === "commander.helpDisplayed" ? 0 : 2;
  }
}

/** A run of a CLI's `main` with its output captured: exit code, standard output and error. */
export async function captured(
  main: (argv: string[], io: CliIO) => number | Promise<number>,
  args: string[],
): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(["node", "cli", ...args], {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}
