/**
 * Engine rules: what a stack policy sees (pulumi v3.248.0). A StackReference is a read
 * resource, and read resources never reach a policy, so the program's promotion evidence for
 * `production-promotion` is a tag on a managed resource (policy/policies.ts).
 *
 * - sdk/nodejs/stackReference.ts:58-67: the constructor passes `{ ...opts, id: name }`;
 * - sdk/nodejs/resource.ts:588-596: a custom resource with `opts.id` is read (`readResource`),
 *   not registered;
 * - pkg/resource/deploy/step_executor.go:571-578: the state of an OpRead or
 *   OpReadReplacement step goes to `deployment.reads`, every other to `deployment.news`;
 * - pkg/resource/deploy/step_generator.go:3227-3307: AnalyzeResources builds the AnalyzeStack
 *   resource list from `deployment.news` alone (pulumi/pulumi#3950, open).
 */
import { strict as assert } from "assert";
import { AWS_TAGS } from "../core/names";
import { committedConfig, declareOk } from "./helpers";
import { stagingExports } from "./promotionFixtures";

type Op = "create" | "update" | "same" | "read" | "read-replacement";
interface StepState {
  type: string;
  name: string;
  op: Op;
}

/** step_executor.go:571-578: where a finished step's state is kept. */
function keep(states: readonly StepState[]): { reads: StepState[]; news: StepState[] } {
  const isRead = (s: StepState) => s.op === "read" || s.op === "read-replacement";
  return { reads: states.filter(isRead), news: states.filter((s) => !isRead(s)) };
}

/** step_generator.go:3227-3307: the resources AnalyzeStack receives, from `news` only. */
function analyzedStack(states: readonly StepState[]): StepState[] {
  return keep(states).news;
}

/* eslint-disable @typescript-eslint/no-require-imports -- the SDK's mock monitor, observed */
const mocks = require("@pulumi/pulumi/runtime/mocks") as {
  MockMonitor: { prototype: Record<string, (...args: unknown[]) => unknown> };
};
const rpc = require("@pulumi/pulumi/runtime/rpc") as {
  deserializeProperties(struct: unknown): Record<string, unknown>;
};
/* eslint-enable @typescript-eslint/no-require-imports */

interface Call {
  rpc: "readResource" | "registerResource";
  type: string;
  name: string;
  custom: boolean;
  props: Record<string, unknown>;
}

/** Runs `body` recording every resource request the SDK sends the (mock) engine. */
async function recording(body: () => Promise<unknown>): Promise<Call[]> {
  const calls: Call[] = [];
  const proto = mocks.MockMonitor.prototype;
  const saved = { read: proto.readResource, register: proto.registerResource };
  proto.readResource = function (this: unknown, req: any, callback: unknown) {
    const props = rpc.deserializeProperties(req.getProperties());
    calls.push({
      rpc: "readResource",
      type: req.getType(),
      name: req.getName(),
      custom: true,
      props,
    });
    return saved.read.call(this, req, callback);
  };
  proto.registerResource = function (this: unknown, req: any, callback: unknown) {
    const props = rpc.deserializeProperties(req.getObject());
    const custom = req.getCustom() as boolean;
    calls.push({
      rpc: "registerResource",
      type: req.getType(),
      name: req.getName(),
      custom,
      props,
    });
    return saved.register.call(this, req, callback);
  };
  try {
    await body();
  } finally {
    proto.readResource = saved.read;
    proto.registerResource = saved.register;
  }
  return calls;
}

describe("engine rules: a stack policy never sees a read resource (pulumi v3.248.0 step_executor.go, step_generator.go AnalyzeResources)", () => {
  it("the model: a read's state goes to reads, and AnalyzeStack gets news only", () => {
    const states: StepState[] = [
      { type: "pulumi:pulumi:StackReference", name: "promotion-source", op: "read" },
      { type: "aws:secretsmanager/secret:Secret", name: "s-aws", op: "create" },
      { type: "aws:secretsmanager/secret:Secret", name: "t-aws", op: "same" },
      { type: "aws:s3/bucket:Bucket", name: "imported", op: "read-replacement" },
    ];
    assert.deepEqual(
      analyzedStack(states).map((s) => s.name),
      ["s-aws", "t-aws"],
    );
    assert.deepEqual(
      keep(states).reads.map((s) => s.name),
      ["promotion-source", "imported"],
    );
  });

  it("the program's StackReferences are reads; its promoted-from tags are on registered custom resources", async () => {
    const now = "20261120000000";
    const staging = await stagingExports(committedConfig("staging"), now, "20261110100000");
    const calls = await recording(() =>
      declareOk(committedConfig("production"), { stack: "production", now, stackOutputs: staging }),
    );
    const references = calls.filter((c) => c.type === "pulumi:pulumi:StackReference");
    assert.ok(
      references.some((c) => c.name === "promotion-source"),
      "promotion-source read",
    );
    assert.deepEqual([...new Set(references.map((c) => c.rpc))], ["readResource"]);
    const tagged = calls.filter(
      (c) => (c.props.tags as Record<string, unknown> | undefined)?.[AWS_TAGS.promotedFrom],
    );
    assert.equal(tagged.length, 2, "both production versions' AWS secrets");
    for (const c of tagged) {
      assert.deepEqual(
        [c.rpc, c.type, c.custom],
        ["registerResource", "aws:secretsmanager/secret:Secret", true],
      );
      assert.equal((c.props.tags as any)[AWS_TAGS.promotedFrom], "acme/secret-rotation/staging");
    }
    // What the policy would get: the registered resources, never the reads.
    const steps = calls.map((c): StepState => ({
      ...c,
      op: c.rpc === "readResource" ? "read" : "create",
    }));
    const seen = analyzedStack(steps);
    assert.ok(!seen.some((s) => s.type === "pulumi:pulumi:StackReference"));
    assert.equal(seen.filter((s) => tagged.some((t) => t.name === s.name)).length, 2);
  });
});
