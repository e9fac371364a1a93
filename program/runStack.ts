/**
 * The program's steps in order: clock, config, preflight, plan and declare. `index.ts` runs
 * it with StackReferences; the offline plan runs the same steps with files as the source of
 * the preflight's facts. One way through an update: the facts are read once, the update is
 * planned once (a pure function of config, facts and clock), and declared from that plan.
 */
import * as pulumi from "@pulumi/pulumi";
import { readStackConfig, rotationNow } from "../config/read";
import { declareStack } from "./declareStack";
import { planStack } from "./planStack";
import { type Readers, preflight } from "./preflight";

export async function runStack(readers: Readers): Promise<Record<string, unknown>> {
  const now = rotationNow(pulumi.getStack());
  // Throws one error listing every problem before anything is declared.
  const config = readStackConfig(now);
  const facts = await preflight(config, readers, now);
  // Throws, before any resource but the preflight's StackReferences, when memory, the
  // reference guard, a linked workload or the staging gate refuses the config.
  const plan = planStack(config, facts, now, pulumi.runtime.isDryRun());
  return declareStack(config, plan);
}
