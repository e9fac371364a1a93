/** One program run per stack of the base config, shared by the program tests that only read it. */
import { type ProgramRun, baseConfig, declareOk } from "./helpers";

/**
 * The fake cluster and AWS are empty at each test's start (tests/rootHooks.ts), so every run
 * of the same config gives the same result, and starting the program again adds nothing.
 */
const baseRuns = new Map<string, Promise<ProgramRun>>();
export function baseRun(stack = "staging"): Promise<ProgramRun> {
  if (!baseRuns.has(stack)) baseRuns.set(stack, declareOk(baseConfig(), { stack }));
  return baseRuns.get(stack)!;
}
