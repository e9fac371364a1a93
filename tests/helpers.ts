/**
 * The one test helper: runs the real program under the mock runtime with a given stack config
 * and clock, checks that no two resources share a name (the mock monitor would accept it),
 * and compares declared states.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import {
  DeclaredResource,
  ProgramRun,
  RecordingMocks,
  projectConfig,
  readStackFile,
  referencedOutputs,
  oneAtATime,
  runProgram,
  selfStackReference,
  unwrapSecrets,
} from "../offline";
import { PROJECT } from "../core/project";
import { captured } from "../scripts/cli";
import { main } from "../scripts/plan";

export { promiseOf, redactSecrets, unwrapSecrets } from "../offline";
export type { DeclaredResource, ProgramRun } from "../offline";

export const TYPES = {
  awsSecret: "aws:secretsmanager/secret:Secret",
  awsValue: "aws:secretsmanager/secretVersion:SecretVersion",
  kubeSecret: "kubernetes:core/v1:Secret",
  deployment: "kubernetes:apps/v1:Deployment",
  cronJob: "kubernetes:batch/v1:CronJob",
  service: "kubernetes:core/v1:Service",
  generator: "random:index/randomPassword:RandomPassword",
  rotatedSecret: "secret-rotation:secrets:RotatedSecret",
  workload: "secret-rotation:workloads:Workload",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  rotationAlarm: "secret-rotation:monitoring:RotationAlarm",
  stackReference: "pulumi:pulumi:StackReference",
} as const;

/** How a test runs the program: the stack, the clock, and what referenced stacks export. */
export interface DeclareOptions {
  stack?: string;
  now?: string;
  /** Outputs of the stacks a StackReference names, by stack name. */
  stackOutputs?: Record<string, unknown>;
  /**
   * This stack's outputs from its previous update (the program's memory, read through a
   * StackReference to itself). Default: none, as on a stack's first update.
   */
  previous?: Record<string, unknown>;
}

/** A config the tests can change: the `secret-rotation:*` keys without prefix. */
export type TestConfig = Record<string, unknown>;

/** Runs the program once; fails the test if two resources share a type and name. */
export async function declare(
  config: TestConfig,
  options: DeclareOptions = {},
): Promise<ProgramRun> {
  const stack = options.stack ?? "staging";
  const run = await runProgram({
    stack,
    config: projectConfig(config),
    now: options.now ?? "20250724000000",
    stackOutputs: {
      ...options.stackOutputs,
      ...(options.previous && { [selfStackReference(stack)]: options.previous }),
    },
  });
  assertUniqueNames(run.resources);
  return run;
}

/** Runs the program and returns it, failing the test if it threw. */
export async function declareOk(
  config: TestConfig,
  options: DeclareOptions = {},
): Promise<ProgramRun> {
  const run = await declare(config, options);
  if (run.error) assert.fail(`the program threw: ${run.error.message}`);
  return run;
}

export function assertUniqueNames(resources: readonly DeclaredResource[]): void {
  const seen = new Set<string>();
  for (const r of resources) {
    const key = `${r.type}::${r.name}`;
    assert.ok(!seen.has(key), `two resources are named ${key}`);
    seen.add(key);
  }
}

export function ofType(run: ProgramRun, type: string): DeclaredResource[] {
  return run.resources.filter((r) => r.type === type);
}

/** The one resource of a type and name. */
export function find(run: ProgramRun, type: string, name: string): DeclaredResource {
  const found = run.resources.filter((r) => r.type === type && r.name === name);
  assert.equal(found.length, 1, `expected one ${type} named ${name}, found ${found.length}`);
  return found[0];
}

/** Inputs with secrets unwrapped, as plain data. */
export function inputsOf(resource: DeclaredResource): any {
  return unwrapSecrets(resource.inputs);
}

/** The values a Kubernetes Secret holds, decoded. */
export function kubeSecretValues(resource: DeclaredResource): Record<string, string> {
  const data = inputsOf(resource).data as Record<string, string>;
  return Object.fromEntries(
    Object.entries(data).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]),
  );
}

/** The values an AWS SecretVersion holds. */
export function awsSecretValues(resource: DeclaredResource): Record<string, string> {
  return JSON.parse(inputsOf(resource).secretString as string) as Record<string, string>;
}

/**
 * Declared state: `type::name` to its inputs as JSON, secret values included in clear, so a
 * changed value counts as a change.
 */
function declaredState(run: ProgramRun): Map<string, string> {
  return new Map(
    run.resources.map((r) => [`${r.type}::${r.name}`, JSON.stringify(unwrapSecrets(r.inputs))]),
  );
}

export interface StateDiff {
  added: string[];
  removed: string[];
  changed: string[];
}

/** What `pulumi up` would do going from one declared state to the next (keys sorted). */
export function diffStates(before: ProgramRun, after: ProgramRun): StateDiff {
  const a = declaredState(before);
  const b = declaredState(after);
  return {
    added: [...b.keys()].filter((k) => !a.has(k)).sort(),
    removed: [...a.keys()].filter((k) => !b.has(k)).sort(),
    changed: [...b.keys()].filter((k) => a.has(k) && a.get(k) !== b.get(k)).sort(),
  };
}

/** Asserts the program refused the config, naming `path`, and declared nothing. */
export function assertRefused(run: ProgramRun, path: string, ...fragments: string[]): string {
  return assertRefusedAfter([], run, path, ...fragments);
}

/**
 * A refusal that needs the preflight's facts (memory, the staging stack): only the preflight's
 * StackReferences may have been declared.
 */
export function assertRefusedByMemory(
  run: ProgramRun,
  path: string,
  ...fragments: string[]
): string {
  return assertRefusedAfter([TYPES.stackReference], run, path, ...fragments);
}

function assertRefusedAfter(
  preflight: readonly string[],
  run: ProgramRun,
  path: string,
  ...fragments: string[]
): string {
  assert.ok(run.error, `expected a config error naming ${path}, but the program ran`);
  const message = run.error.message;
  assert.match(message, /^stack "[^"]+": /, "the error names the stack");
  assert.ok(
    message.includes(`secret-rotation:${path}:`),
    `the error should name ${path}; it says:\n${message}`,
  );
  for (const fragment of fragments) {
    assert.ok(
      message.includes(fragment),
      `the error should say "${fragment}"; it says:\n${message}`,
    );
  }
  assert.deepEqual(
    run.resources.map((r) => r.type).filter((t) => !preflight.includes(t)),
    [],
    "no resource may be declared when the config is refused",
  );
  return message;
}

/** A clean staging config: one secret with three versions, a Deployment and a CronJob. */
export function baseConfig(): TestConfig {
  return {
    retentionDays: 14,
    secrets: {
      "auth-api-secrets": {
        active: "20250723110000",
        versions: {
          "20250701090000": { api_token: "token-v1" },
          "20250715100000": { api_token: "token-v2" },
          "20250723110000": { api_token: "token-v3" },
        },
      },
    },
    workloads: {
      "auth-service": {
        kind: "Deployment",
        image: "registry.example.com/auth-service:1.8.0",
        replicas: 3,
        port: 8080,
        secrets: ["auth-api-secrets"],
      },
      "token-refresh": {
        kind: "CronJob",
        schedule: "0 3 * * 1",
        image: "registry.example.com/token-refresh:2.1.0",
        secrets: ["auth-api-secrets"],
      },
    },
  };
}

/** The secret entry of a config, for editing in a test. */
export function secretOf(config: TestConfig, name = "auth-api-secrets"): any {
  return (config.secrets as Record<string, any>)[name];
}

/** The workload entry of a config, for editing in a test. */
export function workloadOf(config: TestConfig, name: string): any {
  return (config.workloads as Record<string, any>)[name];
}

/**
 * Runs `declareResources` under fresh mocks (the components used directly, as a library user
 * would) and returns what it declared.
 */
export async function declareWith(
  declareResources: () => void,
  stack = "staging",
): Promise<DeclaredResource[]> {
  const mocks = new RecordingMocks();
  // One run at a time, as the program's own runs (offline/mockRuntime.ts oneAtATime).
  await oneAtATime(async () => {
    await pulumi.runtime.setMocks(mocks, PROJECT, stack, false);
    try {
      declareResources();
    } finally {
      await pulumi.runtime.disconnect();
    }
  });
  assertUniqueNames(mocks.resources);
  return mocks.resources;
}

/** One update of a stack's history: the config it runs and when. */
export interface Update {
  config: TestConfig;
  now: string;
}

/**
 * Runs `updates` in order on one stack, each reading the outputs the one before exported (as
 * `pulumi up` reads its own stack's last outputs), and returns every run. Stops at a refusal.
 */
export async function runHistory(
  updates: readonly Update[],
  options: Omit<DeclareOptions, "now" | "previous"> = {},
): Promise<ProgramRun[]> {
  const runs: ProgramRun[] = [];
  let previous: Record<string, unknown> | undefined;
  for (const update of updates) {
    const run = await declare(update.config, { ...options, now: update.now, previous });
    runs.push(run);
    if (run.error) break;
    previous = referencedOutputs(run);
  }
  return runs;
}

/** A version's report in a run's `secrets` output. */
export function versionReport(run: ProgramRun, version: string, secret = "auth-api-secrets"): any {
  const secrets = run.outputs.secrets as Record<string, { versions: { version: string }[] }>;
  return secrets[secret].versions.find((v) => v.version === version);
}

/** The version ids whose resources a run declares (AWS secrets by their version tag). */
export function declaredVersions(run: ProgramRun): string[] {
  return ofType(run, TYPES.awsSecret)
    .map((r) => (r.inputs.tags as Record<string, string>).version)
    .sort();
}

/** A committed `Pulumi.<stack>.yaml` as a test config (its `secret-rotation:*` keys, parsed). */
export function committedConfig(stack: string): TestConfig {
  const prefix = `${PROJECT}:`;
  return Object.fromEntries(
    Object.entries(readStackFile(stack).config)
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, text]) => [
        key.slice(prefix.length),
        /^[[{]/.test(text) ? JSON.parse(text) : text,
      ]),
  );
}

/** A valid monitor, for breaking one field at a time. */
export function goodMonitor(): Record<string, unknown> {
  return {
    namespace: "AWS/ApplicationELB",
    metricName: "HTTPCode_Target_5XX_Count",
    dimensions: { LoadBalancer: "app/ingress/0123456789abcdef" },
    statistic: "Sum",
    threshold: 25,
    period: 60,
    evaluationPeriods: 5,
    alarmActions: ["arn:aws:sns:us-east-1:123456789012:oncall"],
  };
}

/** A staging stack file with one version whose values are written as given (`{ secure: ... }` or plain). */
export function oneVersionStackFile(values: Record<string, string>): string {
  return [
    "config:",
    "  aws:region: us-east-1",
    "  secret-rotation:secrets:",
    "    auth-api-secrets:",
    '      active: "20261110100000"',
    "      versions:",
    '        "20261110100000":',
    ...Object.entries(values).map(([key, value]) => `          ${key}: ${value}`),
  ].join("\n");
}

/** Runs the offline plan CLI in process with `args` (after `npm run plan --`), capturing what it prints. */
export function runPlan(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return captured(main, args);
}
