/**
 * The offline plan: `npm run plan -- <stack> [--at <time>] [--json]`. Reads
 * `Pulumi.<stack>.yaml`, replaces each encrypted value by a placeholder (it cannot be decrypted
 * without the stack's secrets provider), runs the real program under Pulumi's mock runtime and
 * prints what `pulumi up` would keep, prune and reference. Exits 1 on a bad config.
 */
import { Command } from "commander";
import { CLOCK_ENV, resolveNow } from "../components/lifecycle/clock";
import type { SecretOutput, WorkloadOutput } from "../components/lifecycle/outputs";
import { ProgramRun, StackConfig, countByType, readStackFile, runProgram } from "./offline";

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
    "",
    "Secrets",
  ];
  for (const [name, s] of Object.entries(secrets)) {
    lines.push(
      `  ${name}: active ${s.activeVersion} (${s.activeName}), rollback target ${s.previousVersion ?? "none"}`,
    );
    const rows = [["VERSION", "STATE", "KUBERNETES SECRET", "AWS SECRET", "EXPIRES"]];
    for (const v of s.versions) {
      const expires = v.expiresAt ? v.expiresAt.slice(0, 16).replace("T", " ") : "-";
      rows.push([
        v.version,
        v.state === "expired" ? "expired (pruned)" : v.state,
        v.kubernetesName,
        v.awsName,
        expires,
      ]);
    }
    lines.push(...table(rows, "    "));
  }
  lines.push("", "Workloads");
  const workloadRows = [["WORKLOAD", "KIND", "REFERENCES"]];
  for (const [name, w] of Object.entries(workloads)) {
    workloadRows.push([name, w.kind, w.secretNames.join(", ") || "-"]);
  }
  lines.push(...(workloadRows.length > 1 ? table(workloadRows, "  ") : ["  none"]));
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
    .option("--at <time>", `the clock (YYYYMMDDHHMMSS or ISO date); default $${CLOCK_ENV} or now`)
    .option("--json", "print the stack outputs and resource counts as JSON")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s.trimEnd()),
      writeErr: (s) => io.err(s.trimEnd()),
    });
  try {
    cli.parse(argv);
  } catch (err) {
    return (err as { exitCode?: number }).exitCode ?? 2;
  }
  const [stack] = cli.args;
  const opts = cli.opts<{ at?: string; json?: boolean }>();
  const clock = opts.at ?? process.env[CLOCK_ENV];
  let at: Date;
  try {
    at = resolveNow(clock, new Date());
  } catch (err) {
    io.err((err as Error).message);
    return 2;
  }
  let config: StackConfig;
  try {
    config = readStackFile(stack);
  } catch (err) {
    io.err((err as Error).message);
    return 2;
  }
  const run = await runProgram({ stack, config, now: clock });
  if (run.error) {
    io.err(run.error.message);
    return 1;
  }
  if (opts.json) {
    const counts = countByType(run.resources.filter((r) => r.custom));
    io.out(
      JSON.stringify(
        { stack, at: at.toISOString(), outputs: run.outputs, resources: counts, logs: run.logs },
        null,
        2,
      ),
    );
  } else {
    io.out(renderPlan(stack, at, run));
  }
  return 0;
}

if (require.main === module) {
  main(process.argv).then(
    (code) => process.exit(code),
    (err: Error) => {
      console.error(err.message);
      process.exit(2);
    },
  );
}
