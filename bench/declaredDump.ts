/**
 * What the program declares, as data: `npx tsx bench/declaredDump.ts OUT.json [--fuzz]`.
 *
 * For a reshape that must not change behaviour: dump before, dump after, compare the files
 * byte for byte. For every committed stack and example it runs three updates in a row (each
 * update's outputs are the next one's memory, production reads staging's outputs), and with
 * `--fuzz` every file of the stack-file fuzzer (bench/fuzzStacks.ts) once. Each run records
 * every RegisterResource request the engine would receive (type, name, parent, dependencies,
 * aliases, replaceOnChanges, deleteBeforeReplace, ignoreChanges, protect, retainOnDelete,
 * additionalSecretOutputs and the inputs), each component's registered outputs, the stack's
 * exports, the log lines and the error message. The mock monitor is the SDK's own
 * (sdk/nodejs/runtime/mocks.ts MockMonitor); its requests are read before it answers.
 */
import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../config/errors";
import {
  PROJECT_DIR,
  readStackFile,
  referencedOutputs,
  runProgram,
  selfStackReference,
} from "../offline";
import { baseFiles, generate } from "./fuzz/corpus";
import { planFuzzFile } from "./fuzz/classify";

/* eslint-disable @typescript-eslint/no-require-imports -- the SDK's internal modules, read-only */
const mocks = require("@pulumi/pulumi/runtime/mocks") as {
  MockMonitor: { prototype: Record<string, (...args: unknown[]) => unknown> };
};
const rpc = require("@pulumi/pulumi/runtime/rpc") as {
  deserializeProperties(struct: unknown): Record<string, unknown>;
};
/* eslint-enable @typescript-eslint/no-require-imports */

interface Request {
  getObject(): unknown;
  toObject(): Record<string, unknown>;
  getUrn(): string;
  getOutputs(): unknown;
}

let recorded: unknown[] = [];
const proto = mocks.MockMonitor.prototype;
const register = proto.registerResource;
proto.registerResource = function (this: unknown, req: unknown, callback: unknown) {
  const r = req as Request;
  // Where the call was made moves with the code: not part of what is declared.
  const { object: _object, sourceposition: _at, stacktrace: _trace, ...rest } = r.toObject();
  void [_object, _at, _trace];
  recorded.push({ request: rest, inputs: rpc.deserializeProperties(r.getObject()) });
  return register.call(this, req, callback);
};
const registerOutputs = proto.registerResourceOutputs;
proto.registerResourceOutputs = function (this: unknown, req: unknown, callback: unknown) {
  const r = req as Request;
  recorded.push({ outputsOf: r.getUrn(), outputs: rpc.deserializeProperties(r.getOutputs()) });
  return registerOutputs.call(this, req, callback);
};

function take(): unknown[] {
  const out = recorded;
  recorded = [];
  return out;
}

/** Drops what differs between two identical runs: nothing so far, kept as one place to say so. */
function errorText(error: Error | undefined): string | undefined {
  if (!error) return undefined;
  return error instanceof ConfigError ? `ConfigError: ${error.message}` : String(error.message);
}

/** The update times of the committed histories: first, +20 days, +60 days. */
const HISTORY = [
  "2026-11-20T00:00:00.000Z",
  "2026-12-10T00:00:00.000Z",
  "2027-01-19T00:00:00.000Z",
];

async function committed(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const files = baseFiles(PROJECT_DIR);
  // Staging first, so that production reads the outputs of staging's update at the same time.
  const order = (f: string) => (f.includes("staging") ? 0 : f.includes("production") ? 2 : 1);
  const byDir = new Map<string, string[]>();
  for (const f of files) {
    const dir = path.dirname(f);
    byDir.set(dir, [...(byDir.get(dir) ?? []), f]);
  }
  for (const [dir, list] of byDir) {
    const memory = new Map<string, Record<string, unknown>>();
    for (const now of HISTORY) {
      for (const file of [...list].sort((a, b) => order(a) - order(b))) {
        const stack = /Pulumi\.(.+)\.yaml$/.exec(path.basename(file))![1];
        const config = readStackFile(stack, path.join(PROJECT_DIR, dir));
        const stackOutputs: Record<string, unknown> = {};
        for (const [s, outputs] of memory) {
          stackOutputs[selfStackReference(s)] = outputs;
          // The committed production stacks name staging by its organization.
          stackOutputs[`acme/secret-rotation/${s}`] = outputs;
        }
        const run = await runProgram({ stack, config, now, stackOutputs });
        out[`${file}@${now}`] = {
          registered: take(),
          outputs: run.outputs,
          logs: run.logs,
          error: errorText(run.error),
        };
        if (!run.error) memory.set(stack, referencedOutputs(run));
      }
    }
  }
  return out;
}

async function fuzz(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const file of generate()) {
    let entry: Record<string, unknown>;
    try {
      const run = await planFuzzFile(file);
      entry = {
        registered: take(),
        outputs: run.outputs,
        logs: run.logs,
        error: errorText(run.error),
      };
    } catch (err) {
      entry = { registered: take(), fileError: (err as Error).message };
    }
    out[file.id] = entry;
  }
  return out;
}

async function main(argv: string[]): Promise<void> {
  // One environment for every dump: no cluster, one region, no SDK notice (it names the pid).
  delete process.env.KUBECONFIG;
  process.env.AWS_REGION = "us-east-1";
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  const target = argv.find((a) => !a.startsWith("--"));
  if (!target) throw new Error("usage: tsx bench/declaredDump.ts OUT.json [--fuzz]");
  const swallow = () => undefined;
  process.on("unhandledRejection", swallow);
  const dump: Record<string, unknown> = { committed: await committed() };
  if (argv.includes("--fuzz")) dump.fuzz = await fuzz();
  fs.writeFileSync(target, JSON.stringify(dump, null, 1) + "\n");
  console.log(`wrote ${target}`);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
