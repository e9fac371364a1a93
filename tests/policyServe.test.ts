/**
 * The pack as the engine runs it: `policy/index.ts` started in `policy/` (the Pulumi CLI runs a
 * Node.js pack in its folder: pulumi sdk/nodejs/cmd/run-policy-pack/run.ts), serving the
 * Analyzer gRPC service on the port it prints (@pulumi/policy v1.21.0 server.ts `serve`),
 * asked what the engine asks: GetAnalyzerInfo, then AnalyzeStack with the stack's resources
 * (pulumi v3.248.0 pkg/resource/deploy/step_generator.go AnalyzeResources).
 */
import * as assert from "assert";
import { type ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import type { StackResource } from "../policy/resources";
import { deployment, rotated } from "./policyHelpers";

const POLICY = path.join(__dirname, "..", "policy");

/** Starts the pack; resolves with a client once it printed its port. */
function startPack(): Promise<{ child: ChildProcess; client: AnalyzerClient }> {
  const child = spawn(process.execPath, ["--require", require.resolve("tsx/cjs"), "index.ts"], {
    cwd: POLICY,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("exit", (code) => reject(new Error(`the pack exited (${code}): ${err}`)));
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const port = /^(\d+)\s/.exec(out)?.[1];
      if (!port) return;
      const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
      resolve({ child, client });
    });
  });
}

function call<T>(fn: (cb: (e: grpc.ServiceError | null, r: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((e, r) => (e ? reject(e) : resolve(r))));
}

function request(resources: StackResource[]): analyzer.AnalyzeStackRequest {
  return new analyzer.AnalyzeStackRequest().setResourcesList(
    resources.map((r) =>
      new analyzer.AnalyzerResource()
        .setType(r.type)
        .setName(r.name)
        .setUrn(r.urn)
        .setParent(r.parent?.urn ?? "")
        .setProperties(Struct.fromJavaScript(r.props as never))
        .setOptions(new analyzer.AnalyzerResourceOptions()),
    ),
  );
}

describe("policy pack: served to the engine", function () {
  this.timeout(60000);
  let pack: { child: ChildProcess; client: AnalyzerClient };
  before(async () => (pack = await startPack()));
  after(() => {
    pack?.client.close();
    pack?.child.removeAllListeners("exit");
    pack?.child.kill();
  });

  it("describes five mandatory policies under the package's version", async () => {
    const info = await call<analyzer.AnalyzerInfo>((cb) =>
      pack.client.getAnalyzerInfo(new Empty(), cb),
    );
    assert.equal(info.getName(), "secret-rotation");
    assert.equal(info.getVersion(), "0.1.0");
    assert.equal(info.getSupportsconfig(), true);
    for (const p of info.getPoliciesList()) {
      assert.equal(p.getEnforcementlevel(), analyzer.EnforcementLevel.MANDATORY, p.getName());
    }
    assert.equal(info.getPoliciesList().length, 5);
  });

  it("refuses a production stack that keeps versions 7 days and reads an unversioned Secret", async () => {
    const stack = [
      ...rotated("production", "db", ["20261020100000"], { retentionDays: "7" }),
      deployment("production", "web", ["db"]),
    ];
    const response = await call<analyzer.AnalyzeResponse>((cb) =>
      pack.client.analyzeStack(request(stack), cb),
    );
    const found = response
      .getDiagnosticsList()
      .map((d) => [d.getPolicyname(), d.getEnforcementlevel()]);
    assert.deepEqual(found.sort(), [
      ["no-unversioned-secret-reference", analyzer.EnforcementLevel.MANDATORY],
      ["production-promotion", analyzer.EnforcementLevel.MANDATORY],
      ["production-retention", analyzer.EnforcementLevel.MANDATORY],
    ]);
  });
});
