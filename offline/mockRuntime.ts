/**
 * Runs the real program (`index.ts`) under Pulumi's mock runtime: no CLI, no provider, no
 * credentials. The offline plan, the benchmark and the tests all go through here, so what
 * they see is what `pulumi up` would declare.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { CLOCK_ENV } from "../core/clock";
import { runStack } from "../program/runStack";
import type { Readers } from "../program/preflight";
import { PROJECT } from "../core/project";
import {
  type DeclaredResource,
  RecordingMocks,
  SECRET_SIG,
  SIG_KEY,
  STACK_TYPE,
  isSecretWrapper,
} from "./mocks";
import { PROJECT_DIR, type StackConfig } from "./stackFiles";

/** The program module `pulumi up` runs. */
export const PROGRAM = path.join(PROJECT_DIR, "index.ts");

export interface ProgramRun {
  resources: DeclaredResource[];
  /** The program's exports, resolved. */
  outputs: Record<string, unknown>;
  /**
   * What the SDK registered as the stack's outputs, as the engine receives them (secrets
   * wrapped): `{}` when an output never resolved, since the root stack registers in a
   * `finally` (sdk/nodejs/runtime/stack.ts Stack.initialize).
   */
  registered: Record<string, unknown>;
  /** The names of the exports that are secret (`pulumi stack output` shows them as [secret]). */
  secretOutputs: string[];
  /** Lines of `pulumi.log` (`info: ...`, `warning: ...`, `error: ...`). */
  logs: string[];
  /** The error the program threw, if it did. */
  error?: Error;
}
/**
 * A run's outputs as a StackReference to its stack reads them: the secret ones (those
 * `pulumi stack output` shows as `[secret]`) marked as secrets, as the engine stores them.
 */
export function referencedOutputs(run: ProgramRun): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(run.outputs).map(([k, v]) => [
      k,
      run.secretOutputs.includes(k) ? { [SIG_KEY]: SECRET_SIG, value: v } : v,
    ]),
  );
}

/** The resolved value of an output (or the value itself). */
export function promiseOf<T>(value: pulumi.Input<T>): Promise<T> {
  return new Promise((resolve) => pulumi.output(value).apply((v) => resolve(v as T)));
}

export interface RunOptions {
  stack: string;
  config: StackConfig;
  /** `ROTATION_NOW` for the run; when absent the variable is unset (the real clock). */
  now?: string;
  /** Run as `pulumi preview` would. Default false. */
  preview?: boolean;
  /** The program module; default `index.ts`. */
  program?: string;
  /** What the stacks a StackReference names export, by stack name. Default: nothing. */
  stackOutputs?: Readonly<Record<string, unknown>>;
  /**
   * Run the program's steps with this source of the preflight's facts instead of loading
   * `program` (the offline plan reads files). Default: load `program`, which reads through
   * StackReferences that the mocks answer from `stackOutputs`.
   */
  readers?: Readers;
  /** Resources whose create or update fails, as a provider's error would. Default: none. */
  failing?: (type: string, name: string) => boolean;
  /** Resources whose create is skipped, as by `pulumi up --target`. Default: none. */
  skipped?: (type: string, name: string) => boolean;
}
/** The organization a DIY backend gives every stack (pkg/backend/diy/store.go). */
export const ORGANIZATION = "organization";

/** The name the program's self StackReference uses for `stack` (its memory). */
export function selfStackReference(stack: string): string {
  return `${ORGANIZATION}/${PROJECT}/${stack}`;
}

/** The last run started in this process, settled or not (see `oneAtATime`). */
let inFlight: Promise<unknown> | undefined;

/** How long a run waits for the one before it to finish: less than a test's own timeout. */
export const PREVIOUS_RUN_WAIT_MS = 20_000;

/** Resolves once `previous` settles, or rejects after `ms` naming why it waited. */
function settled(previous: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(
            `a previous program run has not finished after ${ms} ms (did its test time out?); the Pulumi runtime is process-wide, so runs go one at a time`,
          ),
        ),
      ms,
    );
    void previous.finally(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Runs `body` after every run started before it has finished. The SDK's runtime is one per
 * process: `setMocks` replaces the process-wide monitor, and `disconnect` waits on the
 * process-wide `rpcDone` chain (pulumi v3.248.0 sdk/nodejs/runtime/settings.ts setMockOptions,
 * rpcKeepAlive, waitForRPCs). A run that outlives its test (a test timeout does not stop it)
 * would register its resources with the next run's mocks and hold up its disconnect.
 */
export function oneAtATime<T>(body: () => Promise<T>): Promise<T> {
  const previous = inFlight;
  const run = (async () => {
    if (previous) await settled(previous, PREVIOUS_RUN_WAIT_MS);
    return body();
  })();
  // The next run waits for this one and for every run before it, even one this run gave up on.
  inFlight = Promise.allSettled([previous, run]);
  return run;
}

/** Resolves once the runs started so far have finished, or after `ms`; true if they did. */
export async function runsFinished(ms: number): Promise<boolean> {
  if (!inFlight) return true;
  return settled(inFlight, ms).then(
    () => true,
    () => false,
  );
}

/**
 * Runs the program once with the given stack and config, and returns what it declared,
 * exported and logged, or the error it threw. Runs one at a time (the runtime is global).
 */
export function runProgram(options: RunOptions): Promise<ProgramRun> {
  return oneAtATime(() => runNow(options));
}

/**
 * A program that throws rejects the root stack's `init`, and the SDK's Stack also holds that
 * promise in its `outputs` Output, whose derived promises nobody awaits (@pulumi/pulumi
 * 3.248.0 runtime/stack.ts: `this.outputs = output(data)`). Node's default ends the process on
 * such an unhandled rejection, even after the run returned the error, in the middle of
 * whatever awaits next (`plan --base` waits for the other side). Pulumi's own runner listens
 * for them too (sdk/nodejs/cmd/run/run.ts `process.on("unhandledRejection", ...)`). A
 * rejection with an error a run already returned is ignored; any other is thrown, as Node's
 * default would.
 */
const programErrors = new WeakSet<object>();
let listening = false;
/**
 * For a command-line entry point (`npm run plan`), which owns its process: a test runner has
 * its own listener, and a second one would change how it treats other rejections.
 */
export function ignoreReportedRejections(): void {
  if (listening) return;
  listening = true;
  process.on("unhandledRejection", (reason) => {
    if (typeof reason === "object" && reason !== null && programErrors.has(reason)) return;
    throw reason;
  });
}

async function runNow(options: RunOptions): Promise<ProgramRun> {
  const program = options.program ?? PROGRAM;
  const mocks = new RecordingMocks(options.stackOutputs, options.failing, options.skipped);
  pulumi.runtime.setAllConfig(options.config.config, options.config.secretKeys);
  await pulumi.runtime.setMocks(
    mocks,
    PROJECT,
    options.stack,
    options.preview ?? false,
    ORGANIZATION,
  );
  // The mock monitor keeps what each resource registered, the root stack's outputs included.
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    getRegisteredResources(): Map<string, { urn: string; state: unknown }>;
  };

  const logs: string[] = [];
  const saved = {
    log: console.log,
    warn: console.warn,
    error: console.error,
    now: process.env[CLOCK_ENV],
  };
  const capture = (...args: unknown[]) =>
    logs.push(args.map(String).join(" ").replace(" [runtime]", ""));
  console.log = console.warn = console.error = capture;
  if (options.now === undefined) delete process.env[CLOCK_ENV];
  else process.env[CLOCK_ENV] = options.now;

  let exported: Record<string, unknown> = {};
  let error: Error | undefined;
  try {
    let loaded: unknown;
    if (options.readers) {
      const readers = options.readers;
      loaded = () => runStack(readers);
    } else {
      // A module runs once per process: drop it from the cache to run the program again.
      delete require.cache[require.resolve(program)];
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh, synchronous load
      loaded = require(program) as unknown;
    }
    // As Pulumi's own runner does: inside the root stack resource, a program that exports a
    // function is called, and what it returns (or resolves to) is the stack's outputs; they
    // are registered once every one resolved, or as `{}` when one did not.
    const init = async () =>
      (typeof loaded === "function" ? await (loaded as () => unknown)() : loaded) as Record<
        string,
        unknown
      >;
    let returned: Record<string, unknown> | undefined;
    const stack = pulumi.runtime.runInPulumiStack(async () => (returned = await init()));
    try {
      await stack;
    } finally {
      exported = returned ?? {};
    }
  } catch (err) {
    error = err as Error;
    // Known before anything else runs, so the listener never mistakes it for a stray.
    if (typeof error === "object" && error !== null) programErrors.add(error);
  }
  try {
    // Waits for every registration to reach the mocks, so that none reaches the next run's
    // mocks; the next run connects anew. A refused program (its config or the staging gate,
    // raised before any resource) still registers the stack's outputs (the SDK does it in a
    // finally): wait for that too. After a resource failed some outputs never resolve, and
    // nothing is awaited.
    if (!error || !options.failing) await pulumi.runtime.disconnect();
  } catch (err) {
    error ??= err as Error;
  } finally {
    console.log = saved.log;
    console.warn = saved.warn;
    console.error = saved.error;
    if (saved.now === undefined) delete process.env[CLOCK_ENV];
    else process.env[CLOCK_ENV] = saved.now;
  }
  if (typeof error === "object" && error !== null) programErrors.add(error);
  const outputs: Record<string, unknown> = {};
  const secretOutputs: string[] = [];
  if (!error) {
    for (const [key, value] of Object.entries(exported)) {
      outputs[key] = await promiseOf(value);
      if (pulumi.Output.isInstance(value) && (await pulumi.isSecret(value)))
        secretOutputs.push(key);
    }
  }
  const registered = [...monitor.getRegisteredResources().values()].find((r) =>
    r.urn.endsWith(`::${STACK_TYPE}::${PROJECT}-${options.stack}`),
  )?.state as { toJavaScript?: () => Record<string, unknown> } | undefined;
  return {
    resources: mocks.resources,
    outputs,
    // The mock monitor keeps the request's protobuf Struct as it came.
    registered: registered?.toJavaScript?.() ?? {},
    secretOutputs,
    logs,
    ...(error && { error }),
  };
}

/** A copy of `value` with each secret-marked value replaced by what `onSecret` returns. */
function replaceSecrets(value: unknown, onSecret: (inner: unknown) => unknown): unknown {
  if (isSecretWrapper(value)) return onSecret(value.value);
  if (Array.isArray(value)) return value.map((v) => replaceSecrets(v, onSecret));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, replaceSecrets(v, onSecret)]),
    );
  }
  return value;
}

/** Inputs with secret markers removed (the values inside kept), for reading them. */
export function unwrapSecrets(value: unknown): unknown {
  return replaceSecrets(value, unwrapSecrets);
}

/** Inputs with every secret-marked value replaced by `[secret]`: what is stored in clear. */
export function redactSecrets(value: unknown): unknown {
  return replaceSecrets(value, () => "[secret]");
}

/** Count of declared custom resources by type, sorted by type. */
export function countByType(resources: readonly DeclaredResource[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}
