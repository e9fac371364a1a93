/**
 * Upstream rules the fuzz families decide their verdicts by, written from their sources (not
 * from this project's parser).
 */
import type { Verdict } from "./model";

/**
 * Pulumi's check of a project-declared `integer` key (Pulumi.yaml declares retentionDays and
 * awsRecoveryWindowDays so): pulumi v3.248.0 sdk/go/common/workspace/config.go
 * validateStackConfigValue hands sdk/go/common/workspace/project.go ValidateConfigValue the
 * value's TEXT, which must pass Go's strconv.Atoi. The text of an unquoted YAML number is its
 * JSON (sdk/go/common/resource/config/object.go object.MarshalString: bool, int64, uint64,
 * float64 through json.Marshal), so `7.0` becomes "7", `1e1` "10", `0x10` (yaml.v3 resolve.go:
 * strconv.ParseInt base 0, underscores dropped) "16"; `.nan` and `.inf` fail json.Marshal
 * ("unsupported value"). A quoted value is the text itself.
 */
function goAtoi(text: string): number | undefined {
  // strconv.Atoi: an optional sign, then decimal digits only (no spaces, no prefix, no `_`).
  return /^[+-]?\d+$/.test(text) ? Number(text) : undefined;
}

/** What the Pulumi CLI makes of an unquoted YAML scalar (yaml.v3 resolve, then JSON). */
function yamlV3PlainNumber(text: string): number | "nan" | undefined {
  if (/^[-+]?(\.inf|\.Inf|\.INF)$/.test(text) || /^(\.nan|\.NaN|\.NAN)$/.test(text)) return "nan";
  const noUnderscore = text.replace(/_/g, "");
  // strconv.ParseInt(s, 0, 64): 0x, 0o, 0b prefixes and a leading-0 octal.
  if (/^[-+]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[1-9]\d*|0)$/.test(noUnderscore)) {
    const sign = noUnderscore.startsWith("-") ? -1 : 1;
    const body = noUnderscore.replace(/^[-+]/, "");
    const n = /^0[0-7]+$/.test(body) ? parseInt(body, 8) : Number(body.replace(/^0[oO]/, "0o"));
    return sign * n;
  }
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(text)) return Number(text);
  return undefined;
}

/** The verdict of the Pulumi CLI on a top-level integer key written as `yaml`. */
export function pulumiIntegerVerdict(yaml: string, inRange: (n: number) => boolean): Verdict {
  const quoted = /^'(.*)'$/.exec(yaml) ?? /^"(.*)"$/.exec(yaml);
  let text: string | undefined;
  if (quoted) text = quoted[1];
  else {
    const n = yamlV3PlainNumber(yaml);
    if (n === "nan") return "refused";
    text = n === undefined ? yaml : JSON.stringify(n);
  }
  const n = goAtoi(text);
  return n !== undefined && inRange(n) ? "accepted" : "refused";
}

export const retentionOk = (n: number) => n >= 1 && n <= 3650;
export const recoveryOk = (n: number) => n === 0 || (n >= 7 && n <= 30);

export const K8S_VALIDATION =
  "kubernetes (master, as indexed) pkg/apis/apps/validation/validation.go ValidateDeploymentSpec and pkg/apis/core/validation/validation.go (the API server's validation)";
