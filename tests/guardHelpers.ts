/**
 * What the reference guard's test files share: a retained version that a second update, five
 * weeks on, would prune, and readers of the guard's report and warnings.
 */
import { strict as assert } from "assert";
import { ProgramRun, Update, baseConfig, runHistory, versionReport } from "./helpers";

export const OLD = "20250701090000";
export const OLD_NAME = `auth-api-secrets-${OLD}`;
/** Update 1 keeps OLD (retained); update 2, five weeks on, would prune it. */
export const BEFORE = "20250724000000";
export const LATER = "20250901000000";

/** Two updates of the base config; the second is the one the guard speaks in. */
export async function pruneUpdate(
  config = baseConfig(),
  second: Partial<Update> = {},
): Promise<ProgramRun> {
  const runs = await runHistory([
    { config: baseConfig(), now: BEFORE },
    { config: second.config ?? config, now: second.now ?? LATER },
  ]);
  assert.equal(runs[0].error, undefined, runs[0].error?.message);
  assert.equal(versionReport(runs[0], OLD).state, "retained");
  return runs[1];
}

export const guardOf = (run: ProgramRun) => run.outputs.guard as any;
export const warnings = (run: ProgramRun) => run.logs.filter((l) => l.startsWith("warning:"));
