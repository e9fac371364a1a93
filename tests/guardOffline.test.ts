/**
 * The reference guard offline: `npm run plan -- <stack> --cluster FILE --aws FILE` reads the
 * cluster's and AWS's objects from files.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { fileLiveReader, projectConfig, runProgram } from "../offline";
import { fileReader, main } from "../scripts/plan";
import { renderPlan } from "../scripts/planRender";
import { objectReading } from "../fakes/kubeApi";
import { ProgramRun, baseConfig, runHistory, versionReport } from "./helpers";
import { OLD, OLD_NAME, BEFORE } from "./guardHelpers";

describe("reference guard offline: npm run plan -- <stack> --cluster FILE --aws FILE", () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "guard-plan-"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** The second update of the prune history, offline, with the guard's files (if any). */
  async function offlinePlan(files: { cluster?: string; aws?: string }): Promise<ProgramRun> {
    const first = await runHistory([{ config: baseConfig(), now: BEFORE }]);
    const previous = path.join(dir, "previous.json");
    fs.writeFileSync(previous, JSON.stringify(first[0].outputs));
    return runProgram({
      stack: "staging",
      config: projectConfig(baseConfig()),
      now: new Date(Date.UTC(2025, 8, 1)).toISOString(),
      readers: {
        outputs: fileReader({ previous }),
        live: fileLiveReader(files),
      },
    });
  }

  it("without the files, says the guard was not checked and which versions it would ask about", async () => {
    const run = await offlinePlan({});
    assert.equal(run.error, undefined, run.error?.message);
    assert.equal(versionReport(run, OLD).state, "expired");
    const text = renderPlan("staging", new Date(Date.UTC(2025, 8, 1)), run);
    assert.match(
      text,
      /cluster: not checked: pass --cluster FILE, written by: kubectl get deployments,replicasets,statefulsets,daemonsets,jobs,cronjobs,pods -A -o json --show-managed-fields > FILE/,
    );
    assert.match(text, new RegExp(`asked about: auth-api-secrets ${OLD}`));
    assert.ok(
      run.logs.some((l) =>
        l.includes(
          `reference guard not checked against the cluster (offline: no --cluster FILE): it would ask about ${OLD_NAME}`,
        ),
      ),
      run.logs.join("\n"),
    );
  });

  it("with kubectl's and the AWS CLI's output, shows the referrers and the kept version", async () => {
    const cluster = path.join(dir, "cluster.json");
    const awsFile = path.join(dir, "aws.json");
    fs.writeFileSync(
      cluster,
      JSON.stringify({
        apiVersion: "v1",
        kind: "List",
        items: [
          {
            apiVersion: "apps/v1",
            kind: "StatefulSet",
            ...objectReading("StatefulSet", "data", "db", OLD_NAME, "projected"),
          },
        ],
      }),
    );
    // The AWS CLI prints dates as ISO text.
    fs.writeFileSync(
      awsFile,
      JSON.stringify({
        SecretList: [
          { Name: `staging/${OLD_NAME}`, LastAccessedDate: "2025-07-30T00:00:00+00:00" },
        ],
      }),
    );
    const run = await offlinePlan({ cluster, aws: awsFile });
    assert.deepEqual(versionReport(run, OLD).referencedBy, ["StatefulSet data/db"]);
    const text = renderPlan("staging", new Date(Date.UTC(2025, 8, 1)), run);
    assert.match(text, new RegExp(`${OLD} +referenced \\(kept: StatefulSet data/db\\)`));
    assert.match(text, /cluster: checked/);
    assert.match(text, new RegExp(`kept: auth-api-secrets ${OLD}`));
  });

  it("refuses a file that is not what the command writes, naming the command (exit 2)", async () => {
    const bad = path.join(dir, "bad.json");
    fs.writeFileSync(bad, JSON.stringify({ kind: "Deployment" }));
    const err: string[] = [];
    const code = await main(["node", "plan", "staging", "--cluster", bad], {
      out: () => undefined,
      err: (t) => err.push(t),
    });
    assert.equal(code, 2);
    assert.match(
      err.join("\n"),
      /--cluster .*bad.json: not a Kubernetes list \(no "items"\); write it with: kubectl get/,
    );
    const awsCode = await main(["node", "plan", "staging", "--aws", bad], {
      out: () => undefined,
      err: (t) => err.push(t),
    });
    assert.equal(awsCode, 2);
    assert.match(
      err.join("\n"),
      /--aws .*bad.json: no "SecretList"; write it with: aws secretsmanager list-secrets --include-planned-deletion --output json/,
    );
  });
});
