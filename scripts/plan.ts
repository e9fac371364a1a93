/**
 * The offline plan: `npm run plan -- <stack> [--dir FOLDER] [--at <time>] [--staging-outputs FILE]
 * [--previous-outputs FILE] [--cluster FILE] [--aws FILE] [--json]`.
 * Reads `Pulumi.<stack>.yaml`, replaces each encrypted value by a placeholder (it cannot be
 * decrypted without the stack's secrets provider), runs the real program under Pulumi's mock
 * runtime and prints what `pulumi up` would keep, prune and reference, each canary, and the
 * staging gate's verdict (the staging stack's outputs come from FILE), and what the reference
 * guard found in the cluster and AWS files (or that it was not checked). Exits 1 on a bad config
 * or a refused version, 2 on bad usage.
 */
import * as fs from "fs";
import * as path from "path";
import { Command } from "commander";
import { CLOCK_ENV, resolveNow } from "../core/clock";
import type { GuardReport } from "../plan/guard/guard";
import type { SecretOutput, WorkloadOutput } from "../plan/lifecycle/outputs";
import { outputsInFile } from "../plan/lifecycle/stored";
import type { PromotionReport } from "../plan/promotion/stagingGate";
import type { Readers, StackOutputsReader } from "../program/preflight";
import { plainValueWarnings } from "../config/plainValues";
import { configKey } from "../core/project";
import {
  AWS_COMMAND,
  CLUSTER_COMMAND,
  OutputsOrigin,
  ProgramRun,
  StackConfig,
  StackFileError,
  countByType,
  emptyConfigWarning,
  fileLiveReader,
  outputsOrigin,
  plannedStack,
  previousOutputsWarning,
  readStackFile,
  runProgram,
  stagingOutputsWarning,
} from "../offline";

/** Left-aligned columns, two spaces apart. */
function table(rows: string[][], indent: string): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map(
    (r) =>
      indent +
      r
        .map((c, i) => c.padEnd(widths[i]))
        .join("  ")
        .trimEnd(),
  );
}

/** The plan as text: secrets, workloads, resource counts, then the program's log lines. */
export function renderPlan(stack: string, at: Date, run: ProgramRun): string {
  const secrets = run.outputs.secrets as Record<string, SecretOutput>;
  const workloads = run.outputs.workloads as Record<string, WorkloadOutput>;
  const lines = [
    `Plan for stack ${stack} (environment ${String(run.outputs.environment)}, namespace ${String(run.outputs.namespace)}) at ${at.toISOString()}`,
    renderDelivery(run.outputs.delivery as DeliveryOutput),
    "",
    "Secrets",
  ];
  for (const [name, s] of Object.entries(secrets)) {
    lines.push(
      `  ${name}: active ${s.activeVersion} (${s.activeName}), rollback target ${s.previousVersion ?? "none"}` +
        (s.canary ? `, canary ${s.canary.version} at ${s.canary.percent}%` : "") +
        `, delivery ${s.delivery}`,
    );
    const rows = [["VERSION", "STATE", "DELIVERY", "KUBERNETES SECRET", "AWS SECRET", "EXPIRES"]];
    for (const v of s.versions) {
      const expires = v.expiresAt ? v.expiresAt.slice(0, 16).replace("T", " ") : "-";
      rows.push([
        v.version,
        v.state === "expired"
          ? "expired (pruned now)"
          : v.state === "referenced"
            ? `referenced (kept: ${(v.referencedBy ?? []).join(", ")})`
            : v.state,
        // An ExternalSecret of the same name makes ESO write the Secret.
        v.delivery === "externalSecrets" ? "ExternalSecret" : "Secret",
        v.kubernetesName,
        v.awsName,
        expires,
      ]);
    }
    lines.push(...table(rows, "    "));
  }
  lines.push("", "Workloads");
  const workloadRows = [["WORKLOAD", "KIND", "PODS", "REFERENCES"]];
  for (const [name, w] of Object.entries(workloads)) {
    const pods = w.replicas === undefined ? "-" : String(w.replicas);
    workloadRows.push([name, w.kind, pods, w.secretNames.join(", ") || "-"]);
    if (w.canary) {
      const c = w.canary;
      workloadRows.push([
        c.name,
        `Deployment (canary ${c.percent}% of ${c.secret})`,
        String(c.replicas),
        c.secretNames.join(", "),
      ]);
    }
  }
  lines.push(...(workloadRows.length > 1 ? table(workloadRows, "  ") : ["  none"]));
  lines.push("", ...renderGate(run.outputs.promotion as PromotionReport | null | undefined));
  lines.push("", ...renderGuard(run.outputs.guard as GuardReport | null | undefined));
  const custom = run.resources.filter((r) => r.custom);
  lines.push(
    "",
    `Resources: ${custom.length} (components: ${run.resources.length - custom.length})`,
  );
  lines.push(
    ...table(
      Object.entries(countByType(custom)).map(([t, n]) => [String(n).padStart(4), t]),
      "  ",
    ),
  );
  if (run.logs.length > 0) lines.push("", "Program log", ...run.logs.map((l) => `  ${l}`));
  return lines.join("\n");
}

interface DeliveryOutput {
  mode: string;
  storeRef: { kind: string; name: string } | null;
  storeDeclared: boolean;
  readyTimeoutSeconds?: number;
}

/** The stack's delivery mode, and the ESO store when one is configured. */
function renderDelivery(d: DeliveryOutput): string {
  const mode =
    d.mode === "externalSecrets"
      ? "Delivery: externalSecrets (an ExternalSecret per version; the External Secrets Operator writes the Secret)"
      : "Delivery: direct (the program writes each version as a Kubernetes Secret)";
  if (!d.storeRef) return mode;
  return (
    `${mode}; store ${d.storeRef.kind} ${d.storeRef.name}` +
    `${d.storeDeclared ? " (declared by this stack)" : ""}, Ready within ${d.readyTimeoutSeconds} s`
  );
}

/** The staging gate's verdict per active and canary version. */
function renderGate(report: PromotionReport | null | undefined): string[] {
  if (!report) return ["Staging gate: not configured (secret-rotation:promotion)"];
  const rows = [["SECRET", "VERSION", "ROLE", "GATE", "DETAIL"]];
  for (const d of report.decisions) {
    const detail =
      d.status === "overridden"
        ? `override: "${d.overrideReason}"; staging shows: ${d.reasons.join("; ")}`
        : d.reasons.join("; ") || "staging activated it, soaked, same keys";
    rows.push([d.secret, d.version, d.role, d.status, detail]);
  }
  return [
    `Staging gate (from ${report.fromStack}, soak ${report.soakHours} h)`,
    ...table(rows, "  "),
  ];
}

/** What the reference guard read, asked about and kept. */
function renderGuard(report: GuardReport | null | undefined): string[] {
  if (!report) return ["Reference guard: not run (dev prunes nothing)"];
  const source = (name: string, s: GuardReport["kubernetes"], option: string, command: string) => {
    const text: Record<string, string> = {
      read: "checked",
      skipped: "not needed (nothing is pruned)",
      off: "off (config)",
      unavailable: `UNAVAILABLE (${s.reason ?? ""}): nothing is pruned`,
      unchecked: `not checked: pass ${option} FILE, written by: ${command} > FILE`,
    };
    return `  ${name}: ${text[s.status]}`;
  };
  return [
    "Reference guard",
    source("cluster", report.kubernetes, "--cluster", CLUSTER_COMMAND),
    source("AWS", report.aws, "--aws", AWS_COMMAND),
    `  asked about: ${report.asked.join(", ") || "none (nothing would be pruned)"}`,
    `  kept: ${report.kept.join(", ") || "none"}`,
  ];
}

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
export interface PlanIO {
  out: (text: string) => void;
  err: (text: string) => void;
}

const STDIO: PlanIO = { out: (t) => console.log(t), err: (t) => console.error(t) };

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
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s.trimEnd()),
      writeErr: (s) => io.err(s.trimEnd()),
    });
  try {
    cli.parse(argv);
  } catch (err) {
    // `--help` is an answer (commander exits it with 0); anything else is bad usage.
    return (err as { code?: string }).code === "commander.helpDisplayed" ? 0 : 2;
  }
  const [stack] = cli.args;
  const opts = cli.opts<{
    at?: string;
    dir?: string;
    json?: boolean;
    stagingOutputs?: string;
    previousOutputs?: string;
    cluster?: string;
    aws?: string;
  }>();
  const clock = opts.at ?? process.env[CLOCK_ENV];
  let at: Date;
  try {
    at = resolveNow(clock, new Date(), opts.at !== undefined ? "--at" : CLOCK_ENV);
  } catch (err) {
    io.err((err as Error).message);
    return 2;
  }
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
  main(process.argv).then(exitWhenFlushed, (err: Error) => {
    console.error(err.message);
    exitWhenFlushed(2);
  });
}
