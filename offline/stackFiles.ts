/**
 * Stack files read as the Pulumi CLI would hand them to the program: a `Pulumi.<stack>.yaml`
 * becomes the flat `project:key` → text map of `pulumi config`, with every `secure:` value
 * replaced (it cannot be decrypted offline). Used by the offline plan, the bench and the tests.
 * The YAML itself is read as Pulumi's reader reads it in `yamlFile.ts` and `yamlV3Scalars.ts`.
 */
import * as fs from "fs";
import * as path from "path";
import { dict } from "../core/dict";
import type { ValuePath } from "../config/plainValues";
import { PROJECT, configKey } from "../core/project";
import { parseYamlFile } from "./yamlFile";

/** The project folder: where `Pulumi.yaml`, `Pulumi.<stack>.yaml` and `index.ts` live. */
export const PROJECT_DIR = path.resolve(__dirname, "..");

/** What replaces an encrypted (`secure:`) config value offline: it cannot be decrypted here. */
export const SECURE_PLACEHOLDER = "<encrypted: not decrypted offline>";

/** A stack's config as the CLI hands it to a program: every value as text, JSON for objects. */
export interface StackConfig {
  config: Record<string, string>;
  /** Keys that hold a secret (`secure:`) anywhere inside. */
  secretKeys: string[];
  /**
   * Values under `secrets.<name>.versions.<id>.<key>` written in plain text, not `secure:`
   * (read from the file: the CLI tells a program only which whole keys are secret).
   */
  plainValues?: ValuePath[];
  /** Keys written without a value (or `~`): the CLI reads them as "" and warns. */
  emptyKeys?: string[];
}

/**
 * The CLI's warning for keys written without a value (pulumi v3.248.0
 * sdk/go/common/workspace/loaders.go checkForEmptyConfig), word for word.
 */
export function emptyConfigWarning(keys: readonly string[]): string | undefined {
  if (keys.length === 0) return undefined;
  const quoted = keys.map((k) => `"${k}"`);
  const s = keys.length === 1 ? "" : "s";
  const joined = quoted.length === 2 ? quoted.join(" and ") : quoted.join(", ");
  return (
    `No value for configuration key${s} ${joined}. This is currently treated as an empty string \`""\`, ` +
    `but will be treated as \`null\` in a future version of pulumi.\nSet the value${s} to \`""\` to avoid this warning.`
  );
}

/** A `{ secure: ... }` value: what `pulumi config set --secret` writes. */
function isSecure(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const obj = value as Record<string, unknown>;
  return Object.keys(obj).length === 1 && typeof obj.secure === "string";
}

/** Plain objects only: anything else is refused by the config's validation, not here. */
function entriesOf(value: unknown): [string, unknown][] {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? Object.entries(value)
    : [];
}

/**
 * Each version value of `secret-rotation:secrets` written as a plain scalar rather than
 * `{ secure: v1:... }`. Other shapes (objects, lists, null) are the validation's to refuse.
 */
export function plainSecretValues(secrets: unknown): ValuePath[] {
  const found: ValuePath[] = [];
  for (const [secret, spec] of entriesOf(secrets)) {
    const versions = entriesOf(spec).find(([field]) => field === "versions")?.[1];
    for (const [version, values] of entriesOf(versions)) {
      // A whole version written as `{ secure: ... }` is encrypted (and refused by the program
      // as not a map of keys): no plain value to warn about.
      if (isSecure(values)) continue;
      for (const [key, value] of entriesOf(values)) {
        // `{ secure: ... }` is an object: a scalar is always plain text.
        if (["string", "number", "boolean"].includes(typeof value)) {
          found.push({ secret, version, key });
        }
      }
    }
  }
  return found;
}

/** Replaces every `secure:` value with the placeholder; says whether any was found. */
function replaceSecure(value: unknown): { value: unknown; secure: boolean } {
  if (Array.isArray(value)) {
    const items = value.map(replaceSecure);
    return { value: items.map((i) => i.value), secure: items.some((i) => i.secure) };
  }
  if (typeof value === "object" && value !== null) {
    const obj = value as Record<string, unknown>;
    if (isSecure(obj)) {
      return { value: SECURE_PLACEHOLDER, secure: true };
    }
    let secure = false;
    const out = dict<unknown>();
    for (const [k, v] of Object.entries(obj)) {
      const r = replaceSecure(v);
      out[k] = r.value;
      secure ||= r.secure;
    }
    return { value: out, secure };
  }
  return { value, secure: false };
}
/**
 * A stack file's config key as the CLI hands it to the program (`<namespace>:<name>`), or
 * an error naming the key (pulumi v3.248.0):
 * - no `:` (`workloads:`): the key is the project's. sdk/go/common/workspace/loaders.go
 *   LoadProjectStackBytes rewrites every config key without `:` to `<project>:<key>`
 *   (stackConfigNamespacedWithProject) before the config map is parsed; `pulumi config set
 *   workloads` does the same (pkg/cmd/pulumi/config/io.go ParseConfigKey).
 * - one `:`: `<namespace>:<name>` as written (sdk/go/common/resource/config/key.go ParseKey).
 * - two: only the old `<namespace>:config:<name>` form, read as `<namespace>:<name>` (ParseKey,
 *   through tokens.ParseModuleMember); anything else, and three or more, is refused when the
 *   file is read (config/map.go Map.UnmarshalYAML) with ParseKey's error, quoted here.
 */
export function configKeyOf(key: string): string {
  const parts = key.split(":");
  if (parts.length === 1) return `${PROJECT}:${key}`;
  if (parts.length === 2) return key;
  if (parts.length === 3 && parts[1] === "config") return `${parts[0]}:${parts[2]}`;
  throw new Error(
    `could not parse ${key} as a configuration key (configuration keys should be of the form \`<namespace>:<name>\`)`,
  );
}

/**
 * A stack file whose content Pulumi would refuse (syntax, a key written twice, NaN, a key
 * ParseKey refuses): a bad config, which the plan reports as it reports a refused config
 * (exit 1), unlike a missing or unreadable file (bad usage, exit 2).
 */
export class StackFileError extends Error {}

/** The config of a `Pulumi.<stack>.yaml` text, as the CLI would pass it (ciphertext replaced). */
export function stackConfigFromYaml(text: string, file = "stack file"): StackConfig {
  try {
    return stackConfigOf(text, file);
  } catch (err) {
    throw new StackFileError((err as Error).message);
  }
}

function stackConfigOf(text: string, file: string): StackConfig {
  const parsed = parseYamlFile(text, file) ?? {};
  if (typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new Error(`${file}: a stack file is a YAML map with a config: section`);
  }
  const doc = parsed as { config?: Record<string, unknown> };
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  // Which written key each config key came from, to name both when two are one key.
  const writtenAs = new Map<string, string>();
  const problems: string[] = [];
  const emptyKeys: string[] = [];
  for (const [written, raw] of Object.entries(doc.config ?? {})) {
    let key: string;
    try {
      key = configKeyOf(written);
    } catch (err) {
      problems.push((err as Error).message);
      continue;
    }
    const first = writtenAs.get(key);
    if (first !== undefined) {
      // The CLI keeps both in a Go map under one key (loaders.go stackConfigNamespacedWithProject,
      // then config/map.go Map.UnmarshalYAML), and which value survives depends on Go's
      // randomized map order: refused here rather than guessed.
      problems.push(
        `config keys ${first} and ${written} are both ${key} (a key without a namespace is the project's); Pulumi would keep either value at random. Write it once, as ${key}`,
      );
      continue;
    }
    writtenAs.set(key, written);
    const { value, secure } = replaceSecure(raw);
    // A key with no value (or `~`) is the empty text: yaml.v3 never calls Value.UnmarshalYAML
    // on a null, and the CLI warns (loaders.go checkForEmptyConfig, v3.248.0).
    config[key] = value === null ? "" : typeof value === "string" ? value : JSON.stringify(value);
    if (value === null) emptyKeys.push(key);
    if (secure) secretKeys.push(key);
  }
  if (problems.length > 0) throw new Error(`${file}: ${problems.join("; ")}`);
  const secretsKey = configKey("secrets");
  const secretsWritten = writtenAs.get(secretsKey);
  const plainValues = plainSecretValues(
    secretsWritten === undefined ? undefined : doc.config?.[secretsWritten],
  );
  return {
    config,
    secretKeys,
    ...(plainValues.length > 0 && { plainValues }),
    ...(emptyKeys.length > 0 && { emptyKeys }),
  };
}

/**
 * The problem with a qualified stack name (`acme/secret-rotation/staging`), if it is one. The
 * CLI names a stack's file by the stack's own name, without organization and project (pulumi
 * v3.248.0 sdk/go/common/workspace/paths.go ProjectStackPath, called with `s.Ref().Name().Q()`
 * in pkg/cmd/pulumi/stack/io.go), and the program sees that name too.
 */
export function qualifiedStackProblem(stack: string): string | undefined {
  if (!stack.includes("/")) return undefined;
  const name = stack.slice(stack.lastIndexOf("/") + 1);
  return `"${stack}" is a qualified stack name: give the stack's own name, "${name}" (its file is Pulumi.${name}.yaml)`;
}

/** Reads `Pulumi.<stack>.yaml` from the project folder. */
export function readStackFile(stack: string, dir = PROJECT_DIR): StackConfig {
  const qualified = qualifiedStackProblem(stack);
  if (qualified) throw new Error(qualified);
  const file = path.join(dir, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) {
    throw new Error(`no stack file ${file}: create it with "pulumi stack init ${stack}"`);
  }
  return stackConfigFromYaml(fs.readFileSync(file, "utf8"), file);
}

/**
 * Project config (`secret-rotation:*`) from plain objects: each value JSON unless text. Only
 * `secrets` is handed as a secret key, as the CLI does for a stack file whose version values
 * are `secure:` (the program refuses a secure value under any other key).
 */
export function projectConfig(values: Record<string, unknown>): StackConfig {
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    config[`${PROJECT}:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
  }
  const secrets = `${PROJECT}:secrets`;
  return { config, secretKeys: secrets in config ? [secrets] : [] };
}
