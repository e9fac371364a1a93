/**
 * Stack files read as the Pulumi CLI would hand them to the program: a `Pulumi.<stack>.yaml`
 * becomes the flat `project:key` → text map of `pulumi config`, with every `secure:` value
 * replaced (it cannot be decrypted offline). Used by the offline plan, the bench and the tests.
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { dict } from "../core/dict";
import type { ValuePath } from "../config/plainValues";
import { PROJECT, configKey } from "../core/project";

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

/** "line:column" (1-based) of an offset in a text. */
function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split("\n");
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

/**
 * A scalar key's text as yaml.v3 compares it (Node.Value), or undefined for another node. A
 * plain `<<` is parsed as the merge key, whose value here is a Symbol: its text is still "<<".
 */
function keyText(key: unknown): string | undefined {
  if (!YAML.isScalar(key)) return undefined;
  return typeof key.value === "symbol" ? (key.value.description ?? "") : String(key.value);
}

/** Go's strconv.ParseInt(s, 0, 64) syntax, underscores already removed: sign, base prefix, digits. */
const GO_INT = /^([+-]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|0([0-7]+)|([0-9]+))$/;
/** yaml.v3 resolve.go yamlStyleFloat. */
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/**
 * The number yaml.v3 reads from a plain scalar that starts with a digit or a sign, or
 * undefined when it reads text. yaml.v3 v3.0.1 resolve.go `resolve` (hints 'D' and 'S'):
 * underscores removed, then strconv.ParseInt(plain, 0, 64), ParseUint, and yamlStyleFloat
 * with ParseFloat, then the `0b`/`0o` forms. So `1_0` is 10 and `0777` is 511, where the
 * `yaml` package's YAML 1.2 core schema reads the text "1_0" and the number 777. Pulumi
 * then writes the number as JSON (object.go MarshalString), which is what the program gets.
 * A timestamp-looking scalar (2001-12-14) stays text, as yaml.v3 decodes it into interface{}.
 */
export function yamlV3Number(source: string): number | undefined {
  if (!/^[0-9+-]/.test(source)) return undefined;
  const plain = source.replace(/_/g, "");
  const int = GO_INT.exec(plain);
  if (int) {
    const [, sign, hex, oct, bin, oldOct, dec] = int;
    const digits =
      hex !== undefined
        ? `0x${hex}`
        : oct !== undefined
          ? `0o${oct}`
          : bin !== undefined
            ? `0b${bin}`
            : oldOct !== undefined
              ? `0o${oldOct}`
              : dec;
    // A decimal with a leading 0 and an 8 or 9 (`09`) is not a Go octal: it falls to the float.
    if (!(dec !== undefined && dec.length > 1 && dec.startsWith("0"))) {
      const magnitude = BigInt(digits);
      const value = sign === "-" ? -magnitude : magnitude;
      if (value >= INT64_MIN && value <= UINT64_MAX) return Number(value);
    }
  }
  if (YAML_STYLE_FLOAT.test(plain)) return Number(plain);
  return undefined;
}

/** yaml.v3's own names for infinity and NaN (resolve.go resolve table), left to the parser. */
const SPECIAL_FLOAT = /^[-+]?\.(inf|Inf|INF|nan|NaN|NAN)$/;

/**
 * yaml.v3 resolve.go parseTimestamp's forms (allowedTimestampFormats): `2006-1-2T15:4:5.999999999Z07:00`
 * (or `t`), `2006-1-2 15:4:5.999999999` and `2006-1-2`, with a four-digit year first.
 */
const YAML_V3_TIMESTAMP =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2}))|(?: (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,9}))?))?$/;

const pad = (n: number | string, width = 2) => String(n).padStart(width, "0");

/**
 * The text Pulumi hands the program for a plain scalar yaml.v3 reads as a timestamp, or
 * undefined. yaml.v3 decodes it into a Go time.Time (decode.go `scalar`), and Pulumi's
 * config/object.go unmarshalObject keeps `v.String()`: "2026-11-10 00:00:00 +0000 UTC" for
 * `2026-11-10`. A date without a zone, or with `Z`, is UTC; with an offset, Go's time.Parse
 * records a zone without a name, printed as the offset (this assumes the machine running
 * `pulumi up` keeps UTC as its local zone, as CI runners do).
 */
export function yamlV3Timestamp(source: string): string | undefined {
  const m = YAML_V3_TIMESTAMP.exec(source);
  if (!m) return undefined;
  const [, y, mo, d] = m;
  const hh = m[4] ?? m[9] ?? "0";
  const mi = m[5] ?? m[10] ?? "0";
  const ss = m[6] ?? m[11] ?? "0";
  const frac = m[7] ?? m[12];
  const zone = m[8];
  const [Y, M, D, H, Mi, S] = [y, mo, d, hh, mi, ss].map(Number);
  // time.Parse refuses a day the month does not have, and out-of-range fields.
  const date = new Date(Date.UTC(Y, M - 1, D, H, Mi, S));
  if (date.getUTCMonth() !== M - 1 || date.getUTCDate() !== D || H > 23 || Mi > 59 || S > 59) {
    return undefined;
  }
  const fraction = frac ? `.${frac}`.replace(/0+$/, "").replace(/\.$/, "") : "";
  const clock = `${pad(H)}:${pad(Mi)}:${pad(S)}${fraction}`;
  const offset = zone === undefined || zone === "Z" ? "+00:00" : zone;
  const hhmm = offset.replace(":", "");
  const name = offset === "+00:00" || offset === "-00:00" ? "UTC" : hhmm;
  return `${pad(Y, 4)}-${pad(M)}-${pad(D)} ${clock} ${name === "UTC" ? "+0000" : hhmm} ${name}`;
}

/**
 * Gives every plain scalar the value yaml.v3 reads from it, where the two readers differ: a
 * number (yamlV3Number), a timestamp's text (yamlV3Timestamp), or the text itself where
 * yaml.v3 reads no number (`1e400`: ParseFloat fails out of range, so it stays text).
 */
function resolveScalarsAsYamlV3(doc: YAML.Document): void {
  YAML.visit(doc, {
    Scalar(_key, node) {
      // An explicit tag (`!!str 0777`) decides the type in yaml.v3 as here: left as parsed.
      if (node.type !== "PLAIN" || typeof node.source !== "string" || node.tag) return;
      const source = node.source;
      if (SPECIAL_FLOAT.test(source)) return;
      const timestamp = yamlV3Timestamp(source);
      if (timestamp !== undefined) {
        node.value = timestamp;
        return;
      }
      const v3 = yamlV3Number(source);
      if (v3 !== undefined && Number.isFinite(v3)) {
        if (node.value !== v3) node.value = v3;
      } else if (
        typeof node.value === "number" &&
        (/^[0-9+-]/.test(source) || !Number.isFinite(node.value))
      ) {
        // yaml.v3 reads no number here (`1e400`, `.5e400`: ParseFloat fails out of range).
        node.value = source;
      }
    },
  });
}

/** Whether a pair's key is the merge key (a plain `<<`, parsed with `merge: true`). */
function isMergeKey(key: unknown): boolean {
  return YAML.isScalar(key) && typeof key.value === "symbol" && key.value.description === "<<";
}

/**
 * The `pulumi config set --path` path of a node from its ancestors: map keys joined with `.`,
 * list items as `[i]`, the stack file's `config:` section left out (it holds the config keys
 * themselves). Undefined when the node is not under `config:`.
 */
function configPath(ancestors: readonly unknown[], node: unknown): string | undefined {
  let out = "";
  const chain = [...ancestors, node];
  for (let i = 0; i < chain.length; i++) {
    const n = chain[i];
    if (YAML.isPair(n)) {
      const key = keyText(n.key) ?? "?";
      out = out === "" ? key : `${out}.${key}`;
    } else if (YAML.isSeq(n)) {
      out += `[${n.items.indexOf(chain[i + 1])}]`;
    }
  }
  if (out !== "config" && !out.startsWith("config.")) return undefined;
  return out.slice("config.".length);
}

/**
 * The first key written twice in one map, which the `yaml` package takes for two keys when
 * one is quoted and one not (`"20250101000000":` is a string, `20250101000000:` a number), so
 * that `toJS` silently keeps one. Pulumi reads `Pulumi.<stack>.yaml` through
 * sdk/go/common/encoding/marshal.go yamlMarshaler.Unmarshal, that is gopkg.in/yaml.v3,
 * whose decode.go `decoder.mapping` compares keys by their text alone (`ni.Kind == nj.Kind &&
 * ni.Value == nj.Value`, quoting ignored) and refuses the file: "mapping key ... already
 * defined at line N" (yaml.v3 v3.0.1). Returns "line:col: what", naming the config path.
 */
function duplicateKey(doc: YAML.Document, text: string): string | undefined {
  let found: string | undefined;
  YAML.visit(doc, {
    Map(_key, map, ancestors) {
      const seen = new Map<string, YAML.Pair>();
      for (const pair of map.items) {
        // A merge key counts too: yaml.v3 compares every key of the map, so `<<` written twice
        // (or `<<` and "<<") is refused there as well. Keys brought in by a merge are not
        // compared (decoder.merge lets the map's own keys win instead).
        const key = keyText(pair.key);
        if (key === undefined) continue;
        // yaml.v3 compares the written text (`1.0` and "1.0" are one key there); Pulumi then
        // keys the object by the value's text (object.go unmarshalObject, fmt.Sprintf("%v", k)),
        // so `1` and `01` become one key and one value is silently dropped. Both are refused.
        const source = (pair.key as YAML.Scalar).source;
        const first =
          seen.get(`value:${key}`) ??
          (typeof source === "string" ? seen.get(`source:${source}`) : undefined);
        if (!first) {
          seen.set(`value:${key}`, pair);
          if (typeof source === "string") seen.set(`source:${source}`, pair);
          continue;
        }
        const parents = ancestors
          .filter((n): n is YAML.Pair => YAML.isPair(n))
          .map((n) => keyText(n.key) ?? "?");
        // The stack file's `config:` section holds the `pulumi config` keys themselves.
        if (parents[0] === "config") parents.shift();
        const where = (p: YAML.Pair) => lineAndColumn(text, (p.key as YAML.Scalar).range?.[0] ?? 0);
        found = `${where(pair)}: ${[...parents, key].join(".")} is written twice in one map (first at ${where(first)}); quoted or not it is one key: Pulumi's YAML reader (yaml.v3) refuses a mapping key already defined, and one of the two would be silently dropped here. Write it once`;
        return YAML.visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/**
 * A merge key whose value yaml.v3 cannot merge. Pulumi's reader (yaml.v3 v3.0.1 decode.go
 * `decoder.merge`) takes a map, an alias of a map, or a list of maps and aliases of maps, and
 * refuses anything else: "map merge requires map or sequence of maps as the value". It
 * resolves a valid merge as the `yaml` package's `merge: true` does (decode.go
 * `decoder.mapping` / `merge`): the map's own keys win over merged ones wherever they stand,
 * and among merged maps the first one listed wins. Returns "line:col: what".
 */
function mergeProblem(doc: YAML.Document, text: string): string | undefined {
  const isMapNode = (node: unknown): boolean =>
    YAML.isMap(node) || (YAML.isAlias(node) && YAML.isMap(node.resolve(doc)));
  let found: string | undefined;
  YAML.visit(doc, {
    Pair(_key, pair, ancestors) {
      if (!isMergeKey(pair.key)) return undefined;
      const value = pair.value;
      if (isMapNode(value) || (YAML.isSeq(value) && value.items.every(isMapNode))) {
        return undefined;
      }
      const path = configPath(ancestors, pair) ?? "<<";
      const at = lineAndColumn(text, (pair.key as YAML.Scalar).range?.[0] ?? 0);
      found = `${at}: ${path}: a merge key (<<) takes a map, an alias of a map (<<: *name) or a list of them; Pulumi's YAML reader (yaml.v3) refuses anything else: "map merge requires map or sequence of maps as the value"`;
      return YAML.visit.BREAK;
    },
  });
  return found;
}

/**
 * Why a NaN or infinite number is refused: Pulumi keeps each config value as JSON
 * (sdk/go/common/resource/config/object.go `object.MarshalString` -> `json.Marshal`, called by
 * value.go `Value.UnmarshalYAML`, called by map.go `Map.UnmarshalYAML` as the stack file's
 * `config:` is read, v3.248.0), and Go's encoding/json refuses NaN and ±Inf, so `pulumi up`
 * fails reading the stack file ("could not unmarshal map: json: unsupported value: NaN").
 * JSON.stringify would instead write null here, which reads as "not set" (the default).
 */
const NON_FINITE_WHY =
  ', which Pulumi refuses: it keeps each config value as JSON, and JSON has no NaN or infinity (encoding/json "unsupported value"), so pulumi up fails reading the stack file. Write a number';

/** The first NaN or infinite number written in `config:` (a value, not a key). */
function nonFiniteNumber(doc: YAML.Document, text: string): string | undefined {
  let found: string | undefined;
  YAML.visit(doc, {
    Scalar(key, node, ancestors) {
      if (key === "key" || typeof node.value !== "number" || Number.isFinite(node.value)) {
        return undefined;
      }
      const path = configPath(ancestors, node);
      if (path === undefined) return undefined;
      const [start, end] = node.range ?? [0, 0];
      found = `${lineAndColumn(text, start)}: ${path} is ${text.slice(start, end)}${NON_FINITE_WHY}`;
      return YAML.visit.BREAK;
    },
  });
  return found;
}

/** The path and text of the first non-finite number inside a parsed value. */
function nonFinitePath(value: unknown, path: string): { path: string; text: string } | undefined {
  if (typeof value === "number") {
    return Number.isFinite(value) ? undefined : { path, text: String(value) };
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nonFinitePath(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value === "object" && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      const found = nonFinitePath(v, path === "" ? k : `${path}.${k}`);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * A YAML file's content, or an error naming the file and, where the parser knows it, the
 * line and column (a syntax error, or an alias bomb that the parser's alias limit stops).
 */
export function parseYamlFile(text: string, file: string): unknown {
  // `merge: true`: yaml.v3 always resolves `<<` merge keys (see mergeProblem).
  const doc = YAML.parseDocument(text, { prettyErrors: true, merge: true });
  resolveScalarsAsYamlV3(doc);
  const first = doc.errors[0];
  // The parser refuses a key written twice alike ("Map keys must be unique", no field named):
  // say which config path, as for a quoted and an unquoted one below.
  const duplicate = duplicateKey(doc, text);
  if (first?.code === "DUPLICATE_KEY" && duplicate) throw new Error(`${file}:${duplicate}`);
  if (first) {
    const at = first.linePos?.[0];
    throw new Error(`${file}${at ? `:${at.line}:${at.col}` : ""}: ${first.message.split("\n")[0]}`);
  }
  if (duplicate) throw new Error(`${file}:${duplicate}`);
  const merge = mergeProblem(doc, text);
  if (merge) throw new Error(`${file}:${merge}`);
  const nonFinite = nonFiniteNumber(doc, text);
  if (nonFinite) throw new Error(`${file}:${nonFinite}`);
  let value: unknown;
  try {
    // The parser's alias limit (maxAliasCount 100) refuses a billion-laughs document here.
    value = doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (err) {
    // Name where the first alias stands, since the limit's error carries no position.
    let offset: number | undefined;
    YAML.visit(doc, {
      Alias(_key, node) {
        offset = node.range?.[0];
        return YAML.visit.BREAK;
      },
    });
    const at = offset === undefined ? "" : `:${lineAndColumn(text, offset)} (first alias)`;
    throw new Error(`${file}${at}: ${(err as Error).message}`);
  }
  // A NaN or infinity brought into `config:` by an alias or a merge, whose scalar stands
  // elsewhere in the file: refused by its config path.
  const config = (value as { config?: unknown } | null)?.config;
  const inside = config === undefined ? undefined : nonFinitePath(config, "");
  if (inside) throw new Error(`${file}: ${inside.path} is ${inside.text}${NON_FINITE_WHY}`);
  return value;
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

/** Reads `Pulumi.<stack>.yaml` from the project folder. */
export function readStackFile(stack: string, dir = PROJECT_DIR): StackConfig {
  const file = path.join(dir, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) {
    throw new Error(`no stack file ${file}: create it with "pulumi stack init ${stack}"`);
  }
  return stackConfigFromYaml(fs.readFileSync(file, "utf8"), file);
}

/** Project config (`secret-rotation:*`) from plain objects: each value JSON unless text. */
export function projectConfig(values: Record<string, unknown>): StackConfig {
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    config[`${PROJECT}:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return { config, secretKeys: Object.keys(config) };
}
