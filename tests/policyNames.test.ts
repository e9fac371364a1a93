/**
 * The policy pack is self-contained: `pulumi policy publish` packs its folder alone (pulumi
 * v3.248.0 pkg/backend/httpstate/policypack.go Publish runs `npm pack` there, l.432) and
 * installs its package.json dependencies (installRequiredPolicy, l.499). So policy/names.ts
 * copies what the pack reads from core/, and each copy must equal its original.
 */
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AWS_TAGS, LABELS } from "../core/names";
import { versionIdProblem } from "../core/versionId";
import * as copies from "../policy/names";

const ROOT = path.join(__dirname, "..");
const POLICY = path.join(ROOT, "policy");

describe("policy pack: self-contained (policy/names.ts)", () => {
  it("copies each label and tag key of core/names.ts it reads, equal", () => {
    for (const [key, value] of Object.entries(copies.LABELS)) {
      assert.equal(value, LABELS[key as keyof typeof LABELS], `LABELS.${key}`);
    }
    for (const [key, value] of Object.entries(copies.AWS_TAGS)) {
      assert.equal(value, AWS_TAGS[key as keyof typeof AWS_TAGS], `AWS_TAGS.${key}`);
    }
  });

  it("isVersionId agrees with core/versionId.ts versionIdProblem (no future limit)", () => {
    const far = new Date(8.64e15);
    const ids = [
      "20261110100000",
      "20240229000000",
      "20250229000000",
      "20251301000000",
      "20251231235959",
      "20251231240000",
      "19691231235959",
      "19700101000000",
      "99991231235959",
      "2025123123595",
      "202512312359590",
      "2025-12-31T000",
      "",
    ];
    for (const id of ids) {
      assert.equal(copies.isVersionId(id), versionIdProblem(id, far) === undefined, id);
    }
    assert.equal(copies.isVersionId(20261110100000), false, "a number is no id");
  });

  it("imports nothing outside its folder", () => {
    for (const file of fs.readdirSync(POLICY).filter((f) => f.endsWith(".ts"))) {
      const text = fs.readFileSync(path.join(POLICY, file), "utf8");
      const outside = [...text.matchAll(/from "(\.\.\/[^"]*)"/g)].map((m) => m[1]);
      assert.deepEqual(outside, [], `policy/${file}`);
    }
  });

  it("declares the root's @pulumi/policy and @pulumi/pulumi versions; the root does not install it", () => {
    const pack = JSON.parse(fs.readFileSync(path.join(POLICY, "package.json"), "utf8"));
    const root = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    const pinned = { ...root.dependencies, ...root.devDependencies };
    for (const name of ["@pulumi/policy", "@pulumi/pulumi", "typescript", "@types/node"]) {
      const installed = JSON.parse(
        fs.readFileSync(path.join(ROOT, "node_modules", name, "package.json"), "utf8"),
      ).version.replace(/^v/, "");
      assert.equal(pack.dependencies[name], installed, `${name}: the version npm ci installs`);
      assert.ok(pinned[name], `${name} is a root dependency too`);
    }
    assert.equal(
      root.workspaces,
      undefined,
      "policy/ is no workspace: npm ci at the root ignores it",
    );
  });

  it("type-checks from what `npm pack` packs, alone (ts-node type-checks a pack: sdk/nodejs/cmd/run-policy-pack/run.ts)", () => {
    const packed = JSON.parse(
      execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
        cwd: POLICY,
        stdio: ["ignore", "pipe", "ignore"],
        encoding: "utf8",
      }),
    ) as { files: { path: string }[] }[];
    const files = packed[0].files.map((f) => f.path).sort();
    assert.ok(files.includes("PulumiPolicy.yaml") && files.includes("names.ts"), files.join());
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), "policy-copy-"));
    try {
      for (const f of files) fs.copyFileSync(path.join(POLICY, f), path.join(copy, f));
      fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(copy, "node_modules"), "dir");
      const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
      execFileSync(process.execPath, [tsc, "-p", copy, "--noEmit"], { stdio: "pipe" });
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });
});
