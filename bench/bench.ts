/**
 * `npm run bench`: evaluates the program under Pulumi's mock runtime for 10, 100 and 500
 * secrets of four versions with one Deployment each, next to a minimal program that declares
 * the same resources with no logic, and prints time, resources and the ratio (median of runs,
 * alternating the two programs so both see the same machine state).
 */
import * as path from "path";
import { PROGRAM, ProgramRun, projectConfig, runProgram } from "../offline";
import { inFakeWorld } from "./fakeWorld";
import { BENCH_NOW, benchConfig, benchVersions } from "./shape";

const SIZES = [10, 100, 500];
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const MINIMAL = path.resolve(__dirname, "minimal.ts");

async function timed(run: () => Promise<ProgramRun>): Promise<{ ms: number; result: ProgramRun }> {
  const start = process.hrtime.bigint();
  const result = await run();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.error) throw result.error;
  return { ms, result };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  await inFakeWorld(measure);
}

async function measure(): Promise<void> {
  const rows: string[][] = [
    [
      "secrets",
      "resources",
      "custom/version",
      "program ms",
      "minimal ms",
      "ratio",
      "program ms/secret",
    ],
  ];
  // One warm-up of each, so module loading is not counted.
  await runProgram({ stack: "staging", config: projectConfig(benchConfig(1)), now: BENCH_NOW });
  for (const count of SIZES) {
    const programConfig = projectConfig(benchConfig(count));
    const minimalConfig = { config: { "bench:secrets": String(count) }, secretKeys: [] };
    const program: number[] = [];
    const minimal: number[] = [];
    let resources = 0;
    let perVersion = 0;
    for (let i = 0; i < RUNS; i++) {
      const p = await timed(() =>
        runProgram({ stack: "staging", config: programConfig, now: BENCH_NOW, program: PROGRAM }),
      );
      const m = await timed(() =>
        runProgram({ stack: "staging", config: minimalConfig, program: MINIMAL }),
      );
      if (p.result.resources.length !== m.result.resources.length) {
        throw new Error(
          `the minimal program declares ${m.result.resources.length} resources, the program ${p.result.resources.length}`,
        );
      }
      program.push(p.ms);
      minimal.push(m.ms);
      resources = p.result.resources.length;
      const versionResources = p.result.resources.filter(
        (r) =>
          r.custom &&
          !r.type.startsWith("kubernetes:apps") &&
          r.type !== "pulumi:pulumi:StackReference",
      ).length;
      perVersion = versionResources / (count * benchVersions().length);
    }
    const pm = median(program);
    const mm = median(minimal);
    rows.push([
      String(count),
      String(resources),
      perVersion.toFixed(2),
      pm.toFixed(0),
      mm.toFixed(0),
      (pm / mm).toFixed(2),
      (pm / count).toFixed(2),
    ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const row of rows) console.log(row.map((c, i) => c.padStart(widths[i])).join("  "));
  console.log(`median of ${RUNS} runs each; node ${process.version}`);
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
