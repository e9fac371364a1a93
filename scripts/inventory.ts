/**
 * `npm run inventory -- <stack> [--dir FOLDER] [--cluster FILE] [--aws FILE] [--json] [--at TIME]
 * [--previous-outputs FILE]`: which version of each secret runs where. Reads the live cluster
 * with the reference guard's reader and kubeconfig rules (or the `--cluster` file), and AWS as
 * the guard does (or the `--aws` file); see docs/inventory.md. Prints tables, or `--json` data.
 * Exits 0 when nothing is flagged, 1 when something is (stale, unknown, overdue), 2 when the
 * cluster, AWS or a file cannot be read (or the usage or config is wrong), with the reason.
 */
import * as path from "path";
import { Command } from "commander";
import { CLOCK_ENV, resolveNow } from "../core/clock";
import type { StackSpec } from "../config/types";
import { type AwsIndex, type GuardRead, awsNamesAsked } from "../plan/guard/guard";
import type { GuardKind } from "../plan/guard/references";
import { anyFlag } from "../plan/inventory/inventory";
import { type PreviousOutputs, readPrevious } from "../plan/lifecycle/memory";
import { permissionSpec } from "../plan/permissions";
import { awsIndex } from "../reads/aws";
import { liveReader, providerSettings } from "../reads/live";
import { type InventoryCluster, inventoryQuestion, stackInventory } from "../program/inventory";
import {
  AWS_COMMAND,
  CLUSTER_COMMAND,
  readAwsFile,
  fileLiveReader,
  readStackFile,
} from "../offline";
import { type CliIO, STDIO, parseCli } from "./cli";
import { exitWhenFlushed, loadOutputsFile } from "./plan";
import { renderInventory } from "./inventoryRender";

export interface InventoryIO extends CliIO {
  /** The clock the progress line reads (milliseconds). */
  now?: () => number;
}

/**
 * A progress line on standard error once the scan has run for a second, then at most once a
 * second: how many objects it has read, and of which kind it is reading.
 */
export function progressLine(err: (text: string) => void, now: () => number) {
  const start = now();
  let last = start;
  let objects = 0;
  return (kind: GuardKind, items: number) => {
    objects += items;
    const t = now();
    if (t - start < 1000 || t - last < 1000) return;
    last = t;
    err(`inventory: ${objects} objects read (listing ${kind}s)...`);
  };
}

const refuse = (what: string, read: GuardRead<unknown>) => {
  if (read.status === "unavailable") throw new Error(`${what} could not be read: ${read.reason}`);
};

/** Runs the CLI with `argv` (node, script, ...args); returns the exit code. */
export async function main(argv: string[], io: InventoryIO = STDIO): Promise<number> {
  const cli = new Command()
    .name("npm run inventory --")
    .description("Show which version of each secret runs where, and flag what needs a look.")
    .argument("<stack>", "stack name: reads Pulumi.<stack>.yaml")
    .option("--dir <folder>", "the folder of Pulumi.<stack>.yaml (default: the project)")
    .option("--at <time>", `the clock (YYYYMMDDHHMMSS or ISO date); default $${CLOCK_ENV} or now`)
    .option(
      "--previous-outputs <file>",
      "this stack's outputs (`pulumi stack output --json`): the memory of activations and prunes",
    )
    .option(
      "--cluster <file>",
      `the cluster's objects instead of the live cluster: ${CLUSTER_COMMAND}`,
    )
    .option("--aws <file>", `the stack's AWS secrets instead of a live read: ${AWS_COMMAND}`)
    .option("--json", "print the inventory as JSON");
  const stop = parseCli(cli, argv, io);
  if (stop !== undefined) return stop;
  const [stack] = cli.args;
  const opts = cli.opts<{
    dir?: string;
    at?: string;
    previousOutputs?: string;
    cluster?: string;
    aws?: string;
    json?: boolean;
  }>();
  try {
    const at = resolveNow(
      opts.at ?? process.env[CLOCK_ENV],
      new Date(),
      opts.at !== undefined ? "--at" : CLOCK_ENV,
    );
    const file = opts.dir ? readStackFile(stack, path.resolve(opts.dir)) : readStackFile(stack);
    const config = permissionSpec(stack, file.config, at);
    const previous = opts.previousOutputs ? previousOutputs(opts.previousOutputs) : undefined;
    const settings = providerSettings(file.config);
    // A cluster file without an AWS file is an offline run: AWS only fills two columns, so it
    // is not checked rather than read live, as the offline plan does without --aws.
    const aws: GuardRead<AwsIndex> =
      opts.cluster && !opts.aws && config.versioned && config.guard.aws
        ? {
            status: "unchecked",
            reason: `not checked: pass --aws FILE, written by: ${AWS_COMMAND}`,
          }
        : await readAws(config, previous, settings, opts.aws);
    refuse(`stack "${stack}": AWS`, aws);
    const question = inventoryQuestion(config, previous, aws, at);
    if (!opts.cluster && settings.problems.kubernetes.length > 0) {
      throw new Error(problemsText(stack, settings.problems.kubernetes));
    }
    // The guard's reader, live or from the file, asked for every version: one read feeds both
    // the guard's scan (the states) and the inventory's.
    const reader = opts.cluster
      ? fileLiveReader({ cluster: opts.cluster })
      : liveReader({ cluster: settings.cluster, aws: settings.aws });
    const read = await reader.cluster({
      ...question,
      inventory: question.names,
      progress: progressLine(io.err, io.now ?? Date.now),
    });
    refuse(`stack "${stack}": the cluster`, read);
    if (read.status !== "read" || !read.inventory) throw new Error(`the cluster: ${read.status}`);
    const cluster: InventoryCluster = { references: read.value, facts: read.inventory };
    const { inventory, notes } = stackInventory(
      config,
      { ...(previous && { previous }), aws, cluster },
      at,
    );
    // After the cluster's read: an error reading it is the first thing a user sees.
    if (aws.status === "unchecked") io.err(`AWS ${aws.reason}`);
    for (const note of notes) io.err(`warning: ${note}`);
    const sources = {
      cluster: opts.cluster ? `file ${opts.cluster}` : "live",
      aws: aws.status === "read" ? (opts.aws ? `file ${opts.aws}` : "live") : aws.status,
    };
    if (opts.json) {
      io.out(
        JSON.stringify({ stack, at: at.toISOString(), ...sources, notes, ...inventory }, null, 2),
      );
    } else {
      io.out(renderInventory({ stack, at, ...sources }, inventory));
    }
    return anyFlag(inventory) ? 1 : 0;
  } catch (err) {
    // Every reason names the stack (a file's, the clock's and the reader's do not themselves).
    const message = (err as Error).message;
    const named = `stack "${stack}"`;
    const names = message.startsWith(named) || message.startsWith(`"${stack}"`);
    io.err(names ? message : `${named}: ${message}`);
    return 2;
  }
}

const problemsText = (stack: string, problems: readonly { path: string; message: string }[]) =>
  [
    `stack "${stack}": the cluster cannot be read with these settings:`,
    ...problems.map((p) => `  ${p.path} ${p.message}`),
  ].join("\n");

/** The memory from `--previous-outputs` (value digests left out: the inventory needs none). */
function previousOutputs(file: string): PreviousOutputs {
  const { outputs } = loadOutputsFile("--previous-outputs", file);
  const { versionFingerprints: _digests, ...rest } = outputs;
  void _digests;
  return readPrevious(rest);
}

/** AWS as the guard reads it: off when the stack turns it off, else the file or the live list. */
async function readAws(
  config: StackSpec<unknown>,
  previous: PreviousOutputs | undefined,
  settings: ReturnType<typeof providerSettings>,
  file: string | undefined,
): Promise<GuardRead<AwsIndex>> {
  if (!config.versioned || !config.guard.aws) return { status: "off" };
  const prefix = `${config.environment}/`;
  const names = new Set(awsNamesAsked(config.environment, config.secrets, previous?.memory));
  if (file) {
    const listed = readAwsFile(file).filter((s) => s.Name?.startsWith(prefix));
    return { status: "read", value: awsIndex(listed, names) };
  }
  if (settings.problems.aws.length > 0) {
    throw new Error(
      [
        `stack "${config.stack}": AWS cannot be read with these settings:`,
        ...settings.problems.aws.map((p) => `  ${p.path} ${p.message}`),
      ].join("\n"),
    );
  }
  return liveReader({ cluster: settings.cluster, aws: settings.aws }).aws({ prefix, names });
}

if (require.main === module) {
  main(process.argv).then(exitWhenFlushed, (err: Error) => {
    console.error(err.message);
    exitWhenFlushed(2);
  });
}
