/**
 * A CronJob schedule exactly as the Kubernetes API server validates it. Pure.
 *
 * Kubernetes pkg/apis/batch/validation/validation.go (validateCronJobSpec, validateScheduleFormat)
 * refuses an empty schedule, runs robfig/cron v3 `cron.ParseStandard`, and on create refuses
 * any schedule that contains "TZ" ("cannot use TZ or CRON_TZ in schedule, use timeZone field
 * instead"). Kubernetes vendors github.com/robfig/cron/v3 v3.0.1
 * (vendor/github.com/robfig/cron/v3/parser.go, identical to tag v3.0.1, commit
 * ccba498c397bb90a9c84945bbb0f7af2d72b6309). This is a port of its standard parser
 * (`Minute | Hour | Dom | Month | Dow | Descriptor`, parser.go Parse, normalizeFields, getField,
 * getRange, parseIntOrName, mustParseInt, parseDescriptor; bounds from spec.go) and of Go's
 * time.ParseDuration (src/time/format.go) for `@every <duration>`. A general cron library
 * accepts a different language (day-of-week 7, L, #, H, @weekdays...), so the port is the rule.
 */

/** spec.go bounds: minute 0-59, hour 0-23, day-of-month 1-31, month 1-12, day-of-week 0-6. */
interface Bounds {
  min: number;
  max: number;
  names?: Readonly<Record<string, number>>;
}

const MONTH_NAMES = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
const DOW_NAMES = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

const FIELDS: readonly Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTH_NAMES },
  { min: 0, max: 6, names: DOW_NAMES },
];

/** parser.go parseDescriptor: the named schedules, matched exactly. */
export const CRON_DESCRIPTORS = [
  "@yearly",
  "@annually",
  "@monthly",
  "@weekly",
  "@daily",
  "@midnight",
  "@hourly",
];

/**
 * Go's unicode.IsSpace, which strings.Fields splits on: ASCII \t \n \v \f \r and space, U+0085,
 * U+00A0 and the White_Space property (JavaScript's \s differs: it has U+FEFF, not U+0085).
 */
export const GO_SPACE =
  /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

class ParseError extends Error {}

/** Go's %q, close enough for a message (JSON escapes the same printable set). */
function quote(s: string): string {
  return JSON.stringify(s);
}

/** strconv.Atoi (base 10): an optional sign, then decimal digits, within int64. */
function atoi(expr: string): bigint {
  if (!/^[+-]?[0-9]+$/.test(expr)) {
    throw new ParseError(`strconv.Atoi: parsing ${quote(expr)}: invalid syntax`);
  }
  const n = BigInt(expr);
  if (n > INT64_MAX || n < INT64_MIN) {
    throw new ParseError(`strconv.Atoi: parsing ${quote(expr)}: value out of range`);
  }
  return n;
}

/** parser.go mustParseInt. */
function mustParseInt(expr: string): bigint {
  let num: bigint;
  try {
    num = atoi(expr);
  } catch (err) {
    throw new ParseError(`failed to parse int from ${expr}: ${(err as Error).message}`);
  }
  if (num < 0n) throw new ParseError(`negative number (${num}) not allowed: ${expr}`);
  return num;
}

/**
 * Go's strings.ToLower, as far as it can reach a name: ASCII letters, and the two non-ASCII
 * letters whose lower case is ASCII (U+0130 -> i, U+212A KELVIN SIGN -> k).
 */
function goLowerForNames(s: string): string {
  return s.replace(/[A-Z\u0130\u212a]/g, (c) =>
    c === "\u0130" ? "i" : c === "\u212a" ? "k" : c.toLowerCase(),
  );
}

/** parser.go parseIntOrName. */
function parseIntOrName(expr: string, names: Bounds["names"]): bigint {
  if (names) {
    const key = goLowerForNames(expr);
    if (Object.prototype.hasOwnProperty.call(names, key)) return BigInt(names[key]);
  }
  return mustParseInt(expr);
}

/** parser.go getRange: `number | number "-" number [ "/" number ]`, or `*`/`?`. */
function checkRange(expr: string, r: Bounds): void {
  const rangeAndStep = expr.split("/");
  const lowAndHigh = rangeAndStep[0].split("-");
  const singleDigit = lowAndHigh.length === 1;
  let start: bigint;
  let end: bigint;
  let step: bigint;
  if (lowAndHigh[0] === "*" || lowAndHigh[0] === "?") {
    // Upstream ignores anything after the star's hyphen ("*-5" is "*").
    start = BigInt(r.min);
    end = BigInt(r.max);
  } else {
    start = parseIntOrName(lowAndHigh[0], r.names);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1], r.names);
    else throw new ParseError(`too many hyphens: ${expr}`);
  }
  if (rangeAndStep.length === 1) step = 1n;
  else if (rangeAndStep.length === 2) {
    step = mustParseInt(rangeAndStep[1]);
    // "N/step" means "N-max/step".
    if (singleDigit) end = BigInt(r.max);
  } else throw new ParseError(`too many slashes: ${expr}`);

  if (start < BigInt(r.min)) {
    throw new ParseError(`beginning of range (${start}) below minimum (${r.min}): ${expr}`);
  }
  if (end > BigInt(r.max)) {
    throw new ParseError(`end of range (${end}) above maximum (${r.max}): ${expr}`);
  }
  if (start > end) {
    throw new ParseError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  }
  if (step === 0n) throw new ParseError(`step of range should be a positive number: ${expr}`);
}

/** parser.go getField: a comma-separated list of ranges; empty pieces are skipped (FieldsFunc). */
function checkField(field: string, r: Bounds): void {
  for (const expr of field.split(",")) {
    if (expr !== "") checkRange(expr, r);
  }
}

const UNITS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1000n,
  "\u00b5s": 1000n,
  "\u03bcs": 1000n,
  ms: 1000000n,
  s: 1000000000n,
  m: 60000000000n,
  h: 3600000000000n,
};
const TWO_63 = 1n << 63n;

/** Go's time.ParseDuration (src/time/format.go): whether it accepts `s`, or why not. */
export function goDurationProblem(orig: string): string | undefined {
  const invalid = `time: invalid duration ${quote(orig)}`;
  let s = orig;
  let d = 0n;
  let neg = false;
  if (s !== "" && (s[0] === "-" || s[0] === "+")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return undefined;
  if (s === "") return invalid;
  while (s !== "") {
    if (!/^[.0-9]/.test(s)) return invalid;
    // leadingInt: [0-9]*, refusing a value over 1<<63.
    const intDigits = /^[0-9]*/.exec(s)![0];
    let v = 0n;
    for (const c of intDigits) {
      if (v > TWO_63 / 10n) return invalid;
      v = v * 10n + BigInt(c);
      if (v > TWO_63) return invalid;
    }
    s = s.slice(intDigits.length);
    const pre = intDigits.length > 0;
    // leadingFraction: (\.[0-9]*)?, which stops accumulating on overflow.
    let f = 0n;
    let scale = 1;
    let post = false;
    if (s.startsWith(".")) {
      s = s.slice(1);
      const fracDigits = /^[0-9]*/.exec(s)![0];
      let overflow = false;
      for (const c of fracDigits) {
        if (overflow) continue;
        if (f > (TWO_63 - 1n) / 10n) {
          overflow = true;
          continue;
        }
        const y = f * 10n + BigInt(c);
        if (y > TWO_63) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      s = s.slice(fracDigits.length);
      post = fracDigits.length > 0;
    }
    if (!pre && !post) return invalid;
    const u = /^[^.0-9]*/.exec(s)![0];
    if (u === "") return `time: missing unit in duration ${quote(orig)}`;
    s = s.slice(u.length);
    if (!Object.prototype.hasOwnProperty.call(UNITS, u)) {
      return `time: unknown unit ${quote(u)} in duration ${quote(orig)}`;
    }
    const unit = UNITS[u];
    if (v > TWO_63 / unit) return invalid;
    v *= unit;
    if (f > 0n) {
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > TWO_63) return invalid;
    }
    d = BigInt.asUintN(64, d + v); // uint64 arithmetic, as upstream
    if (d > TWO_63) return invalid;
  }
  if (!neg && d > TWO_63 - 1n) return invalid;
  return undefined;
}

/**
 * Why the API server refuses `schedule` on create, in upstream's words, or undefined when it
 * accepts it. The schedule is read as given: upstream splits fields on whitespace, so leading
 * or trailing blanks are accepted around five fields, but not around a descriptor.
 */
export function kubernetesScheduleProblem(schedule: string): string | undefined {
  if (schedule.length === 0) return "empty spec string";
  // validateScheduleFormat, on create (no old schedule): any "TZ" is refused.
  if (schedule.includes("TZ"))
    return "cannot use TZ or CRON_TZ in schedule, use timeZone field instead";
  try {
    if (schedule.startsWith("@")) {
      if (CRON_DESCRIPTORS.includes(schedule)) return undefined;
      const every = "@every ";
      if (schedule.startsWith(every)) {
        const problem = goDurationProblem(schedule.slice(every.length));
        return problem ? `failed to parse duration ${schedule}: ${problem}` : undefined;
      }
      return `unrecognized descriptor: ${schedule}`;
    }
    const fields = schedule.split(GO_SPACE).filter((f) => f !== "");
    if (fields.length !== FIELDS.length) {
      return `expected exactly ${FIELDS.length} fields, found ${fields.length}: [${fields.join(" ")}]`;
    }
    fields.forEach((field, i) => checkField(field, FIELDS[i]));
  } catch (err) {
    if (err instanceof ParseError) return err.message;
    throw err;
  }
  return undefined;
}
