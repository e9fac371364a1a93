/**
 * Plain YAML scalars read as Pulumi reads them. Pulumi parses a stack file with
 * gopkg.in/yaml.v3 (YAML 1.1-ish resolution), the `yaml` package with the YAML 1.2 core schema:
 * where the two differ (Go integer syntax, underscores, timestamps, out-of-range floats) the
 * parsed document is given yaml.v3's value, so the program sees what `pulumi up` hands it.
 */
import * as YAML from "yaml";

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
export function resolveScalarsAsYamlV3(doc: YAML.Document): void {
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
