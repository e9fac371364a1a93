/**
 * The config contract is declared once; docs/config-reference.md, the editor schema and
 * the parser all come from it. These tests fail when one of them drifts from the contract.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import Ajv from "ajv";
import * as YAML from "yaml";
import { type Contract } from "../config/zod/view";
import { SECRET_FIELDS } from "../config/contract/secret";
import { configReferenceRows } from "../config/zod/reference";
import { stackFileSchema } from "../config/contract/stack";
import { WORKLOAD_FIELDS } from "../config/contract/workload";
import { ConfigError } from "../config/errors";
import { parseStackConfig } from "../config/parse";
import { versionIdToDate } from "../plan/lifecycle";
import { REFERENCE, SCHEMA_FILE, pageWithReference, schemaText } from "../scripts/configDocs";
import { PROJECT_DIR } from "../offline";
import { PROJECT } from "../core/project";
import { baseConfig, secretOf, workloadOf } from "./helpers";

const MODELINE = "# yaml-language-server: $schema=./schema/stack-config.schema.json";
/** The committed stack files: the project's, and the examples' (`examples/<name>/`). */
const stackFiles = [
  ...fs.readdirSync(PROJECT_DIR).filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f)),
  ...fs.readdirSync(path.join(PROJECT_DIR, "examples")).flatMap((example) =>
    fs
      .readdirSync(path.join(PROJECT_DIR, "examples", example))
      .filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f))
      .map((f) => path.join("examples", example, f)),
  ),
].sort();

/** The schema modeline of a stack file, relative to its folder. */
function modeline(file: string): string {
  const schema = path.relative(path.dirname(file), path.join("schema", "stack-config.schema.json"));
  return `# yaml-language-server: $schema=${schema.startsWith(".") ? schema : `./${schema}`}`;
}

function validator() {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  return ajv.compile(stackFileSchema());
}

/** The problems `parseStackConfig` reports for a config, by path. */
function problemPaths(config: Record<string, unknown>): string[] {
  try {
    parseStackConfig(
      config,
      { stack: "staging", now: versionIdToDate("20250801000000") },
      (v) => v,
    );
    return [];
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.problems.map((p) => p.path);
  }
}

describe("the config contract", () => {
  it("writes docs/config-reference.md (run npm run docs after changing the contract)", async () => {
    const page = fs.readFileSync(REFERENCE, "utf8");
    assert.equal(await pageWithReference(page), page);
  });

  it("writes schema/stack-config.schema.json (run npm run docs after changing the contract)", async () => {
    assert.equal(fs.readFileSync(SCHEMA_FILE, "utf8"), await schemaText());
  });

  it("gives every property of the schema a description, and each literal default its default", () => {
    const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8")) as Node;
    type Node = { [keyword: string]: unknown };
    const undocumented: string[] = [];
    const walk = (node: unknown, at: string): void => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${at}/${i}`));
      if (typeof node !== "object" || node === null) return;
      for (const [keyword, value] of Object.entries(node)) {
        // A workload's kind rules (if/then/else) only narrow properties the object declares
        // (`false`: not for this kind; `true`: required by it); they declare none of their own.
        if (["if", "then", "else"].includes(keyword)) continue;
        if (keyword === "properties") {
          for (const [name, property] of Object.entries(value as Node)) {
            if (typeof (property as Node).description !== "string") {
              undocumented.push(`${at}/properties/${name}`);
            }
          }
        }
        walk(value, `${at}/${keyword}`);
      }
    };
    walk(schema, "#");
    assert.deepEqual(undocumented, []);

    // The reference page's literal defaults (`14`, `true`, `[]`, an allowed name) are the schema's.
    const at = (key: string): Node => {
      let node = (schema.properties as any).config.properties as Node;
      const [first, ...rest] = key.split(".");
      let here = node[`${PROJECT}:${first}`] as Node;
      for (const segment of rest) {
        node = segment.startsWith("<")
          ? (here.additionalProperties as Node)
          : ((here.properties as Node)[segment] as Node);
        assert.ok(node, `${key}: ${segment} is in the schema`);
        here = node;
      }
      return here;
    };
    let literals = 0;
    for (const row of configReferenceRows()) {
      const text = row.default.replace(/^`(.*)`$/, "$1");
      const property = at(row.key);
      const literal = /^(-?\d+|true|false|\[\]|\{\})$/.test(text)
        ? JSON.parse(text)
        : Array.isArray(property.enum) && property.enum.includes(text)
          ? text
          : undefined;
      if (literal === undefined) continue;
      literals++;
      assert.deepEqual(property.default, literal, `${row.key} has default ${row.default}`);
    }
    assert.ok(literals >= 10, `${literals} literal defaults`);
  });

  it("gives every committed stack file the schema modeline, and the file passes the schema", () => {
    assert.ok(stackFiles.length >= 4, stackFiles.join(", "));
    assert.equal(modeline("Pulumi.dev.yaml"), MODELINE);
    const validate = validator();
    for (const file of stackFiles) {
      const text = fs.readFileSync(path.join(PROJECT_DIR, file), "utf8");
      assert.equal(text.split("\n")[0], modeline(file), `${file} starts with the modeline`);
      assert.ok(validate(YAML.parse(text)), `${file}: ${JSON.stringify(validate.errors)}`);
    }
  });

  it("lets an editor flag a typo, a field of the other kind and a bad version id", () => {
    const validate = validator();
    const staging = YAML.parse(
      fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.staging.yaml"), "utf8"),
    ) as { config: Record<string, any> };
    const cases: [string, (config: Record<string, any>) => void][] = [
      ["a misspelled key", (c) => (c["secret-rotation:retentionDay"] = 7)],
      [
        "replicas on a CronJob",
        (c) => {
          const job = Object.values(c["secret-rotation:workloads"]).find(
            (w: any) => w.kind === "CronJob",
          ) as Record<string, unknown>;
          job.replicas = 2;
        },
      ],
      [
        "a version id that is not 14 digits",
        (c) => {
          const secret = Object.values(c["secret-rotation:secrets"])[0] as any;
          secret.versions["2025-07-23"] = {};
        },
      ],
      ["an unknown environment", (c) => (c["secret-rotation:environment"] = "prod")],
      // The CLI reads a key without a namespace as the project's (loaders.go, v3.248.0).
      ["a misspelled key without the namespace", (c) => (c.retentionDay = 7)],
      ["a bad value under a key without the namespace", (c) => (c.retentionDays = "soon")],
    ];
    for (const [name, edit] of cases) {
      const config = structuredClone(staging.config);
      edit(config);
      assert.equal(validate({ config }), false, name);
    }
    assert.ok(validate({ config: { "aws:region": "eu-west-1", "kubernetes:context": "kind" } }));
    assert.ok(validate({ config: { retentionDays: 7, workloads: {} } }), "unqualified keys");
  });

  it("agrees with the parser on which fields are required", () => {
    const requiredOf = (fields: Contract, kind?: string) =>
      Object.keys(fields).filter(
        (name) =>
          fields[name].presence === "required" &&
          (kind === undefined || !fields[name].kinds || fields[name].kinds.includes(kind)),
      );
    const cases: (readonly [string, (c: Record<string, unknown>) => any])[] = [
      ...requiredOf(SECRET_FIELDS).map(
        (f) =>
          [`secrets.auth-api-secrets.${f}`, (c: Record<string, unknown>) => secretOf(c)] as const,
      ),
      ...requiredOf(WORKLOAD_FIELDS, "Deployment").map(
        (f) =>
          [
            `workloads.auth-service.${f}`,
            (c: Record<string, unknown>) => workloadOf(c, "auth-service"),
          ] as const,
      ),
      ...requiredOf(WORKLOAD_FIELDS, "CronJob").map(
        (f) =>
          [
            `workloads.token-refresh.${f}`,
            (c: Record<string, unknown>) => workloadOf(c, "token-refresh"),
          ] as const,
      ),
    ];
    assert.ok(cases.length >= 6);
    for (const [fieldPath, entry] of cases) {
      const config = baseConfig();
      delete entry(config)[fieldPath.split(".").pop()!];
      assert.ok(problemPaths(config).includes(fieldPath), `${fieldPath} is reported when absent`);
    }
    assert.deepEqual(problemPaths(baseConfig()), []);
  });
});
