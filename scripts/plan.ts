/**
 * The offline plan: `npm run plan -- <stack> [--dir FOLDER] [--at <time>] [--staging-outputs FILE]
 * [--previous-outputs FILE] [--cluster FILE] [--aws FILE] [--json]`.
 * Reads `Pulumi.<stack>.yaml`, replaces each encrypted value by a placeholder (it cannot be
 * decrypted without the stack's secrets provider), runs the real program under Pulumi's mock
 * runtime and prints what `pulumi up` would keep, prune and reference, each canary, and the
 * staging gate's verdict (the staging stack's outputs come from FILE), and what the reference
 * guard found in the cluster and AWS files (or that it was not checked). Exits 1 on a bad config
 * or a refused version, 2 on bad usage. With `--base <git-ref>`, prints the rotation diff from
 * the stack file and program at that ref to the working tree instead (planBase.ts).
 */
import * as fs from "fs";
import * as path from "path";
import { Command } from "commander";
import { CLOCK_ENV, resolveNow } from "../core/clock";
import { outputsInFile } from "../plan/lifecycle/stored";
import type { Readers, StackOutputsReader } from "../program/preflight";
import { plainValueWarnings } from "../config/plainValues";
import { configKey } from "../core/project";
import {
  AWS_COMMAND,
  CLUSTER_COMMAND,
  OutputsOrigin,
  PROJECT_DIR,
  StackConfig,
  StackFileError,
  countByType,
  emptyConfigWarning,
  ignoreReportedRejections,
  fileLiveReader,
  outputsOrigin,
  plannedStack,
  previousOutputsWarning,
  readStackFile,
  runProgram,
  stagingOutputsWarning,
} from "../offline";
import { type CliIO, STDIO, captured, parseCli } from "./cli";
import { planAgainstBase } from "./planBase";
import { renderPlan } from "./planRender";

/**
 * A stack's outputs from a file: what `pulumi stack output --json --stack S` prints, or what
 * this plan's own `--json` prints (its `outputs` key), with what the file says about the stack
 * that wrote it. Throws naming the file and option.
 */
export function loadOutputsFile(
  option: string,
  file: string,
): { outputs: Record<string, unknown>; origin: OutputsOrigin } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`${option} ${file}: ${(err as Error).message}`);
  }
  // The stored format's reader (plan/lifecycle/stored.ts) finds the outputs in the file.
  const outputs = outputsInFile(parsed);
  if (!outputs) {
    throw new Error(
      `${option} ${file}: no "secrets" output; write it with: pulumi stack output --json --stack <stack> > ${file} (or this plan's --json)`,
    );
  }
  return { outputs, origin: outputsOrigin(parsed, outputs) };
}

/**
 * The preflight's facts from files, each read and checked once, here (a bad file is a usage
 * error before the program runs). Value digests are left out: offline every encrypted value
 * is a placeholder, so an edited version cannot be told from an unchanged one here. `origins`
 * says which stack each file seems to come from.
 */
export function fileReader(files: {
  staging?: string;
  previous?: string;
}): StackOutputsReader & { origins: { staging?: OutputsOrigin; previous?: OutputsOrigin } } {
  const load = (option: string, file: string | undefined) => {
    if (!file) return undefined;
    const { outputs: all, origin } = loadOutputsFile(option, file);
    const { versionFingerprints: _digests, ...outputs } = all;
    void _digests;
    return { outputs, origin };
  };
  const staging = load("--staging-outputs", files.staging);
  const previous = load("--previous-outputs", files.previous);
  return {
    read: (role) => Promise.resolve((role === "staging" ? staging : previous)?.outputs),
    origins: {
      ...(staging && { staging: staging.origin }),
      ...(previous && { previous: previous.origin }),
    },
  };
}

/**
 * What the plan warns about its input files, before the program runs: an outputs file that
 * seems to be another stack's, and secret values the stack file holds in plain text among
 * encrypted ones. (When none is encrypted, the program itself warns about every value, as it
 * does under `pulumi up`: config/read.ts readStackConfig.)
 */
export function inputWarnings(
  stack: string,
  config: StackConfig,
  files: { staging?: string; previous?: string },
  origins: { staging?: OutputsOrigin; previous?: OutputsOrigin },
): string[] {
  const planned = plannedStack(stack, config);
  const warnings = [
    files.previous && origins.previous
      ? previousOutputsWarning(files.previous, origins.previous, planned)
      : undefined,
    files.staging && origins.staging
      ? stagingOutputsWarning(files.staging, origins.staging, planned)
      : undefined,
  ].filter((w): w is string => w !== undefined);
  if (config.secretKeys.includes(configKey("secrets"))) {
    warnings.push(...plainValueWarnings(stack, config.plainValues ?? []));
  }
  const empty = emptyConfigWarning(config.emptyKeys ?? []);
  if (empty) warnings.unshift(empty);
  return warnings;
}

/** Where the CLI writes: standard output and standard error by default. */
export type PlanIO = CliIO;

/** Runs the CLI with `argv` (node, script, ...args); returns the exit code. */
export async function main(argv: string[], io: PlanIO = STDIO): Promise<number> {
  const cli = new Command()
    .name("npm run plan --")
    .description(
      "Show offline what the program declares for a stack, without Pulumi or credentials.",
    )
    .argument("<stack>", "stack name: reads Pulumi.<stack>.yaml")
    .option("--dir <folder>", "the folder of Pulumi.<stack>.yaml (default: the project)")
    .option("--at <time>", `the clock (YYYYMMDDHHMMSS or ISO date); default $${CLOCK_ENV} or now`)
    .option(
      "--staging-outputs <file>",
      "the outputs of promotion.fromStack (`pulumi stack output --json`, or this plan's --json); without it the gate is not checked",
    )
    .option(
      "--previous-outputs <file>",
      "this stack's outputs from its last update (`pulumi stack output --json`): the program's memory of activations and prunes",
    )
    .option("--cluster <file>", `the cluster's objects for the reference guard: ${CLUSTER_COMMAND}`)
    .option("--aws <file>", `the stack's AWS secrets for the reference guard: ${AWS_COMMAND}`)
    .option("--json", "print the stack outputs and resource counts as JSON")
    .option(
      "--base <git-ref>",
      "print the rotation diff from the stack file and program at <git-ref> to the working tree",
    );
  const stop = parseCli(cli, argv, io);
  if (stop !== undefined) return stop;
  const [stack] = cli.args;
  const opts = cli.opts<{
    at?: string;
    dir?: string;
    json?: boolean;
    stagingOutputs?: string;
    previousOutputs?: string;
    cluster?: string;
    aws?: string;
    base?: string;
  }>();
  const clock = opts.at ?? process.env[CLOCK_ENV];
  let at: Date;
  try {
    at = resolveNow(clock, new Date(), opts.at !== undefined ? "--at" : CLOCK_ENV);
  } catch (err) {
    io.err((err as Error).message);
    return 2;
  }
  if (opts.base !== undefined) return againstBase(stack, opts, at, io);
  let config: StackConfig;
  let readers: Readers;
  let warnings: string[];
  try {
    config = opts.dir ? readStackFile(stack, path.resolve(opts.dir)) : readStackFile(stack);
    const files = { staging: opts.stagingOutputs, previous: opts.previousOutputs };
    const outputs = fileReader(files);
    readers = { outputs, live: fileLiveReader({ cluster: opts.cluster, aws: opts.aws }) };
    warnings = inputWarnings(stack, config, files, outputs.origins);
  } catch (err) {
    io.err((err as Error).message);
    // A stack file Pulumi would refuse is a bad config (1); a missing or unreadable file is
    // bad usage (2).
    return err instanceof StackFileError ? 1 : 2;
  }
  // The program's clock is the one resolved here, so `--at` and the plan agree to the second.
  const program = await runProgram({ stack, config, now: at.toISOString(), readers });
  // The input's warnings are listed as the program's are (`warning: ...` in the log), first.
  const run = { ...program, logs: [...warnings.map((w) => `warning: ${w}`), ...program.logs] };
  if (run.error) {
    // As `pulumi up` shows the program's warnings beside its error (a namespace typo's warning
    // may explain a refused config).
    for (const line of run.logs.filter((l) => l.startsWith("warning: "))) io.err(line);
    io.err(run.error.message);
    return 1;
  }
  if (opts.json) {
    const counts = countByType(run.resources.filter((r) => r.custom));
    io.out(
      JSON.stringify(
        {
          stack,
          at: at.toISOString(),
          // As `pulumi stack output --json` prints them: secret outputs stay hidden.
          outputs: Object.fromEntries(
            Object.entries(run.outputs).map(([k, v]) => [
              k,
              run.secretOutputs.includes(k) ? "[secret]" : v,
            ]),
          ),
          resources: counts,
          logs: run.logs,
        },
        null,
        2,
      ),
    );
  } else {
    io.out(renderPlan(stack, at, run));
  }
  return 0;
}

/**
 * `--base <ref>`: both plans get the same clock and the same files (absolute paths, since the
 * plan at the ref runs in another folder); the working tree's plan is this CLI, in process.
 */
function againstBase(
  stack: string,
  opts: Record<string, string | boolean | undefined>,
  at: Date,
  io: PlanIO,
): Promise<number> {
  const files: [string, unknown][] = [
    ["--previous-outputs", opts.previousOutputs],
    ["--staging-outputs", opts.stagingOutputs],
    ["--cluster", opts.cluster],
    ["--aws", opts.aws],
  ];
  const passthrough = files.flatMap(([option, file]) =>
    typeof file === "string" ? [option, path.resolve(file)] : [],
  );
  const run = {
    root: PROJECT_DIR,
    stack,
    ref: String(opts.base),
    dir: typeof opts.dir === "string" ? opts.dir : undefined,
    at: at.toISOString(),
    passthrough,
    json: opts.json === true,
  };
  return planAgainstBase(run, io, (args) => captured(main, args));
}

/**
 * Exits with `code` once standard output and standard error have taken everything written:
 * writes to a pipe are asynchronous (Node's process.stdout docs, "A note on process I/O"), so
 * `process.exit` straight after a large write cuts it at the pipe's buffer. A write's callback
 * runs after the writes queued before it.
 */
export function exitWhenFlushed(code: number): void {
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write("", done);
  process.stderr.write("", done);
}

if (require.main === module) {
  ignoreReportedRejections();
  main(process.argv).then(exitWhenFlushed, (err: Error) => {
    console.error(err.message);
    exitWhenFlushed(2);
  });
}
