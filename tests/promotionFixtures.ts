/** The staging and production stacks the staging-gate tests run (tests/promotion*.test.ts). */
import { strict as assert } from "assert";
import {
  DeclareOptions,
  ProgramRun,
  TYPES,
  TestConfig,
  baseConfig,
  declare,
  runHistory,
  secretOf,
} from "./helpers";

export const STAGING = "acme/secret-rotation/staging";
export const ACTIVE = "20250723110000";
export const NEXT = "20250730120000";
/** Two days after ACTIVE was created, six hours after NEXT. */
export const NOW = "20250725110000";
export const LATER = "20250801000000";

/**
 * What the staging stack exports after running `config` first at `activated` (the update that
 * activates its active version) and again at `now`.
 */
export async function stagingExports(
  config: TestConfig,
  now = NOW,
  activated = ACTIVE,
): Promise<Record<string, unknown>> {
  const runs = await runHistory(
    [
      { config, now: activated },
      { config, now },
    ],
    { stack: "staging" },
  );
  const last = runs[runs.length - 1];
  assert.equal(last.error, undefined, last.error?.message);
  return { [STAGING]: last.outputs };
}

/** The production config: staging's config plus the gate. */
export function production(config: TestConfig = baseConfig(), soakHours = 24): TestConfig {
  return { ...config, promotion: { fromStack: STAGING, soakHours } };
}

export function withNext(config: TestConfig, active = false): TestConfig {
  secretOf(config).versions[NEXT] = { api_token: "token-v4" };
  if (active) secretOf(config).active = NEXT;
  return config;
}

export const inProduction = (config: TestConfig, options: DeclareOptions) =>
  declare(config, { stack: "production", now: NOW, ...options });

/** The gate refused: the error names the stack, path and words; only the StackReference ran. */
export function assertGateRefused(run: ProgramRun, path: string, ...fragments: string[]): void {
  assert.ok(run.error, "expected the staging gate to refuse");
  const message = run.error.message;
  assert.match(message, /^stack "production": the staging gate \(promotion.fromStack acme/);
  assert.ok(message.includes(`secret-rotation:${path}:`), `should name ${path}:\n${message}`);
  for (const fragment of fragments) {
    assert.ok(message.includes(fragment), `should say "${fragment}":\n${message}`);
  }
  assert.deepEqual(
    [...new Set(run.resources.map((r) => r.type))],
    [TYPES.stackReference],
    "nothing but the preflight's StackReferences is declared when the gate refuses",
  );
}
