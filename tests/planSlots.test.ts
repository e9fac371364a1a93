/**
 * The offline plan (scripts/planRender.ts) of a blue-green workload: its WORKLOAD table shows
 * both slots' Deployments, the live one first, and the other one warm (until when) or idle,
 * from the `slots` field of the workloads output, over a history of real runs.
 */
import { strict as assert } from "assert";
import { renderPlan } from "../scripts/planRender";
import { type ProgramRun, baseConfig, runHistory, secretOf, workloadOf } from "./helpers";

const V2 = "20250715100000";
const V3 = "20250723110000";

function config(active: string) {
  const config = baseConfig();
  secretOf(config).active = active;
  workloadOf(config, "auth-service").strategy = "blueGreen";
  return config;
}

/** The workload table's rows of a run's plan, cells split on their two-space gaps. */
function workloadRows(run: ProgramRun, at: string): string[][] {
  const text = renderPlan("staging", new Date(at), run);
  const lines = text.split("\n");
  const start = lines.indexOf("Workloads") + 1;
  const end = lines.indexOf("", start);
  return lines.slice(start, end).map((l) => l.trim().split(/ {2,}/));
}

describe("offline plan: a blue-green workload's slots", () => {
  it("shows the live slot under the workload's name, then the other slot: idle, warm until its end, idle again at 0 pods", async () => {
    const runs = await runHistory([
      { config: config(V2), now: "20250723120000" },
      { config: config(V3), now: "20250725000000" },
      { config: config(V3), now: "20250727000000" },
    ]);
    for (const run of runs) if (run.error) assert.fail(run.error.message);
    const [first, promoted, cooled] = runs;

    assert.deepEqual(workloadRows(first, "2025-07-23T12:00:00Z"), [
      ["WORKLOAD", "KIND", "PODS", "REFERENCES"],
      ["auth-service", "Deployment (blue, live)", "3", `auth-api-secrets-${V2}`],
      ["Deployment (green, idle)", "0", `auth-api-secrets-${V2}`],
      ["token-refresh", "CronJob", "-", `auth-api-secrets-${V2}`],
    ]);
    // The promotion switched to green; blue keeps V2 at full size for warmHours (24 h).
    assert.deepEqual(workloadRows(promoted, "2025-07-25T00:00:00Z").slice(1, 3), [
      ["auth-service", "Deployment (green, live)", "3", `auth-api-secrets-${V3}`],
      ["Deployment (blue, warm until 2025-07-26T00:00Z)", "3", `auth-api-secrets-${V2}`],
    ]);
    // Past the window blue is scaled to 0; its kept template still names V2's Secret.
    assert.deepEqual(workloadRows(cooled, "2025-07-27T00:00:00Z").slice(1, 3), [
      ["auth-service", "Deployment (green, live)", "3", `auth-api-secrets-${V3}`],
      ["Deployment (blue, idle)", "0", `auth-api-secrets-${V2}`],
    ]);
  });
});
