/**
 * Validates External Secrets Operator objects against ESO's own CRDs (v2.9.0, vendored under
 * `schema/external-secrets/`): the `openAPIV3Schema` of the version the object's apiVersion
 * names, which must be served. The models package for ESO v1 needs Node 22, so the CRD schema
 * is compiled with ajv 8 directly.
 *
 * Stricter than the API server in one way, on purpose: the server prunes fields a structural
 * schema does not declare, silently (a misspelt `refreshInterval` would simply vanish), so here
 * an undeclared field is an error. CEL rules (`x-kubernetes-validations`) cannot be checked by
 * ajv: `celRulesOn` lists those that apply to an object, so a test can insist there are none.
 */
import * as fs from "fs";
import * as path from "path";
import Ajv, { type ValidateFunction } from "ajv";
import * as YAML from "yaml";
import { PROJECT_DIR } from "../offline";

export const ESO_RELEASE = "v2.9.0";
const CRD_DIR = path.join(PROJECT_DIR, "schema", "external-secrets");

type Schema = { [keyword: string]: unknown };

interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  schema: { openAPIV3Schema: Schema };
}

interface Crd {
  spec: { group: string; names: { kind: string; plural: string }; versions: CrdVersion[] };
}

const KINDS: Record<string, string> = {
  ExternalSecret: "external-secrets.io_externalsecrets.yaml",
  ClusterSecretStore: "external-secrets.io_clustersecretstores.yaml",
};

/** The vendored CRD of an ESO kind. */
export function esoCrd(kind: string): Crd {
  const file = KINDS[kind];
  if (!file) throw new Error(`no vendored CRD for ${kind}`);
  return YAML.parse(fs.readFileSync(path.join(CRD_DIR, file), "utf8"), {
    maxAliasCount: -1,
  }) as Crd;
}

/** Closes every object schema that declares properties, as the server's pruning would. */
function closeObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeObjects);
  if (typeof schema !== "object" || schema === null) return schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(schema)) out[k] = closeObjects(v);
  if (
    out.type === "object" &&
    out.properties !== undefined &&
    out.additionalProperties === undefined &&
    out["x-kubernetes-preserve-unknown-fields"] !== true
  ) {
    out.additionalProperties = false;
  }
  return out;
}

function newAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false });
  // Kubernetes' OpenAPI extensions: structural hints, not constraints ajv can check.
  for (const keyword of [
    "x-kubernetes-preserve-unknown-fields",
    "x-kubernetes-int-or-string",
    "x-kubernetes-map-type",
    "x-kubernetes-list-type",
    "x-kubernetes-list-map-keys",
    "x-kubernetes-validations",
  ]) {
    ajv.addKeyword(keyword);
  }
  ajv.addFormat("int32", { type: "number", validate: (n: number) => Math.abs(n) <= 2147483647 });
  ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isSafeInteger(n) });
  ajv.addFormat("byte", /^[A-Za-z0-9+/]*={0,2}$/);
  ajv.addFormat("date-time", (s: string) => !Number.isNaN(Date.parse(s)));
  ajv.addFormat("", true);
  return ajv;
}

const validators = new Map<string, ValidateFunction>();

/** The served version's schema of `apiVersion`/`kind`, or an error saying it is not served. */
export function servedSchema(apiVersion: string, kind: string): Schema {
  const crd = esoCrd(kind);
  const [group, version] = apiVersion.split("/");
  if (group !== crd.spec.group) throw new Error(`${apiVersion} is not ${crd.spec.group}`);
  const found = crd.spec.versions.find((v) => v.name === version);
  if (!found?.served) {
    throw new Error(`${kind} ${apiVersion} is not served by ESO ${ESO_RELEASE}`);
  }
  return found.schema.openAPIV3Schema;
}

/** The schema problems of an ESO object (`[]` when valid), as `path: message`. */
export function esoProblems(object: { apiVersion: string; kind: string }): string[] {
  const key = `${object.apiVersion}/${object.kind}`;
  let validate = validators.get(key);
  if (!validate) {
    validate = newAjv().compile(
      closeObjects(servedSchema(object.apiVersion, object.kind)) as Schema,
    );
    validators.set(key, validate);
  }
  if (validate(object)) return [];
  return (validate.errors ?? []).map(
    (e) =>
      `${e.instancePath || "/"}: ${e.message ?? "invalid"}${e.params && "additionalProperty" in e.params ? ` (${String(e.params.additionalProperty)})` : ""}`,
  );
}

/** The CEL rules (`x-kubernetes-validations`) on the schema nodes `object` fills. */
export function celRulesOn(object: { apiVersion: string; kind: string }): string[] {
  const rules: string[] = [];
  const walk = (schema: Schema | undefined, value: unknown, at: string) => {
    if (!schema || value === undefined) return;
    const cel = schema["x-kubernetes-validations"] as { rule: string }[] | undefined;
    for (const c of cel ?? []) rules.push(`${at}: ${c.rule}`);
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(schema.items as Schema, item, `${at}[${i}]`));
    } else if (typeof value === "object" && value !== null) {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      for (const [k, v] of Object.entries(value)) walk(properties[k], v, `${at}.${k}`);
    }
  };
  walk(servedSchema(object.apiVersion, object.kind), object, "");
  return rules;
}
