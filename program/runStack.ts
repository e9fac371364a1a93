/**
 * The program's steps in order: clock, config, preflight, plan and declare. `index.ts` runs
 * it with StackReferences; the offline plan runs the same steps with files as the source of
 * the preflight's facts.
 */
import * as pulumi from "@pulumi/pulumi";
import { readStackConfig, rotationNow } from "../config/read";
import { declareStack } from "./declareStack";
import { type Readers, preflight } from "./preflight";

export async function runStack(readers: Readers): Promise<Record<string, unknown>> {
  const now = rotationNow(pulumi.getStack());
  // Throws one error listing every problem before anything is declared.
  const config = readStackConfig(now);
  const facts = await preflight(config, readers, now);
  return declareStack(config, facts, now);
}
