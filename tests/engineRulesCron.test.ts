/**
 * The CronJob schedule language of the Kubernetes API server, which the mock runtime does not
 * enforce. Sources: kubernetes pkg/apis/batch/validation/validation.go (validateCronJobSpec,
 * validateScheduleFormat: required, cron.ParseStandard, then "TZ" refused on create); the
 * vendored github.com/robfig/cron/v3 v3.0.1 (commit ccba498c397bb90a9c84945bbb0f7af2d72b6309)
 * parser.go (Parse, normalizeFields, getRange, mustParseInt, parseDescriptor) and spec.go
 * (bounds: day-of-week 0-6); Go src/time/format.go ParseDuration for `@every`.
 */
import { strict as assert } from "assert";
import { goDurationProblem, kubernetesScheduleProblem } from "../config/cronSchedule";
import { ConfigError } from "../config/errors";
import { parseStackConfig } from "../config/parse";
import { versionIdToDate } from "../plan/lifecycle";
import { TYPES, baseConfig, declareOk, find, inputsOf, workloadOf } from "./helpers";

/** [schedule, undefined when the API server accepts it, else a fragment of upstream's reason]. */
const SCHEDULES: [string, string | undefined][] = [
  // Accepted: five fields, ranges, steps, lists, names in any case, `?`, the descriptors.
  ["0 3 * * 1", undefined],
  ["*/15 0-23/2 1,15 jan-DEC mon-fri", undefined],
  ["0 3 * * 0-6", undefined],
  ["0 3 * * sun,sat", undefined],
  ["0 3 ? * ?", undefined],
  ["0 3 * * +1", undefined], // strconv.Atoi takes a sign
  ["5/10 * * * *", undefined], // "N/step" means "N-max/step" (getRange)
  ["0 3 * * 1,,2", undefined], // getField splits with strings.FieldsFunc: empty items vanish
  ["@yearly", undefined],
  ["@annually", undefined],
  ["@monthly", undefined],
  ["@weekly", undefined],
  ["@daily", undefined],
  ["@midnight", undefined], // parseDescriptor: same as @daily
  ["@hourly", undefined],
  ["@every 1h", undefined], // parseDescriptor: "@every " + time.ParseDuration
  ["@every 1h30m", undefined],
  ["@every 90s", undefined],
  ["@every 1.5h", undefined],
  [" 0 3 * * 1 ", undefined], // Parse splits fields with strings.Fields
  ["0\t3  * * 1", undefined],
  // Refused: day-of-week is 0-6 (spec.go dow bounds); 7 is not Sunday here.
  ["0 3 * * 7", "end of range (7) above maximum (6): 7"],
  ["0 3 * * 1-7", "end of range (7) above maximum (6): 1-7"],
  ["0 3 * * 0-7", "end of range (7) above maximum (6): 0-7"],
  ["0 3 * * 1,7", "end of range (7) above maximum (6): 7"],
  // Refused: no Quartz extensions; every item is a number, a name, `*` or `?` (mustParseInt).
  ["0 3 L * *", "failed to parse int from L"],
  ["0 3 * * 5L", "failed to parse int from 5L"],
  ["0 3 * * 1#2", "failed to parse int from 1#2"],
  ["H 3 * * *", "failed to parse int from H"],
  ["0 3 15W * *", "failed to parse int from 15W"],
  // Refused: descriptors other than parseDescriptor's.
  ["@minutely", "unrecognized descriptor: @minutely"],
  ["@weekdays", "unrecognized descriptor: @weekdays"],
  ["@weekends", "unrecognized descriptor: @weekends"],
  ["@secondly", "unrecognized descriptor: @secondly"],
  ["@reboot", "unrecognized descriptor: @reboot"],
  ["@every", "unrecognized descriptor: @every"],
  ["@every 1d", 'time: unknown unit "d" in duration "1d"'],
  ["@every 10", 'time: missing unit in duration "10"'],
  ["@every  1h", 'time: invalid duration " 1h"'],
  // Refused: a descriptor is matched whole, so blanks around it are refused.
  ["@daily ", "unrecognized descriptor: @daily "],
  [" @daily", "expected exactly 5 fields, found 1: [@daily]"],
  // Refused: the field count, the ranges, the syntax.
  ["0 0 3 * * 1", "expected exactly 5 fields, found 6"],
  ["0 3 * *", "expected exactly 5 fields, found 4"],
  ["   ", "expected exactly 5 fields, found 0"],
  ["", "empty spec string"],
  ["60 * * * *", "end of range (60) above maximum (59): 60"],
  ["0 24 * * *", "end of range (24) above maximum (23): 24"],
  ["0 3 0 * *", "beginning of range (0) below minimum (1): 0"],
  ["0 3 * 13 *", "end of range (13) above maximum (12): 13"],
  ["0 3 * * 5-1", "beginning of range (5) beyond end of range (1): 5-1"],
  ["*/0 * * * *", "step of range should be a positive number: */0"],
  ["*/-1 * * * *", "negative number (-1) not allowed: -1"],
  ["1-2-3 * * * *", "too many hyphens: 1-2-3"],
  ["*/2/3 * * * *", "too many slashes: */2/3"],
  ["0 3 * * monday", "failed to parse int from monday"],
  // Refused on create by validateScheduleFormat: the time zone has its own field.
  ["TZ=UTC 0 3 * * *", "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"],
  ["CRON_TZ=Europe/Paris 0 3 * * *", "cannot use TZ or CRON_TZ in schedule"],
];

function parseSchedule(schedule: string) {
  const config = baseConfig();
  workloadOf(config, "token-refresh").schedule = schedule;
  return parseStackConfig(
    config,
    { stack: "staging", now: versionIdToDate("20250724000000") },
    (v) => v,
  );
}

describe("engine rules: CronJob schedules (kubernetes pkg/apis/batch/validation/validation.go validateScheduleFormat; robfig/cron v3.0.1 parser.go ParseStandard)", () => {
  for (const [schedule, reason] of SCHEDULES) {
    if (reason === undefined) {
      it(`accepts ${JSON.stringify(schedule)}, as ParseStandard does, and declares it unchanged`, () => {
        assert.equal(kubernetesScheduleProblem(schedule), undefined);
        const spec = parseSchedule(schedule);
        const job = spec.workloads.find((w) => w.name === "token-refresh");
        assert.equal(job && "schedule" in job ? job.schedule : undefined, schedule);
      });
    } else {
      it(`refuses ${JSON.stringify(schedule)}: ${reason}`, () => {
        assert.ok(kubernetesScheduleProblem(schedule)?.includes(reason));
        assert.throws(
          () => parseSchedule(schedule),
          (err: unknown) => {
            assert.ok(err instanceof ConfigError);
            const message = err.message;
            assert.ok(
              message.includes("secret-rotation:workloads.token-refresh.schedule:"),
              message,
            );
            assert.ok(message.includes(reason), message);
            assert.ok(message.includes("day-of-week 0-6"), message);
            return true;
          },
        );
      });
    }
  }

  it("reads `@every <duration>` with Go's time.ParseDuration (src/time/format.go ParseDuration)", () => {
    for (const ok of [
      "0",
      "-0",
      "+5m",
      "1h2m3s",
      "1.5h",
      ".5s",
      "5.s",
      "300ms",
      "10us",
      "10µs",
      "10μs",
      "1ns",
    ]) {
      assert.equal(goDurationProblem(ok), undefined, ok);
    }
    // 1<<63-1 ns is the largest Duration; one more overflows (the negative side takes it).
    assert.equal(goDurationProblem("9223372036854775807ns"), undefined);
    assert.match(goDurationProblem("9223372036854775808ns") ?? "", /invalid duration/);
    assert.equal(goDurationProblem("-9223372036854775808ns"), undefined);
    assert.match(goDurationProblem("2562048h") ?? "", /invalid duration/);
    for (const bad of [
      "",
      "+",
      "-",
      ".",
      "h",
      "1",
      "1hh",
      "1 h",
      "1H",
      "1d",
      "1w",
      "-.s",
      "1.2.3s",
    ]) {
      assert.ok(goDurationProblem(bad), bad);
    }
  });

  it("declares the schedule the plan validated, blanks included: the API server stores it as sent", async () => {
    for (const schedule of ["@every 1h", "@midnight", " 0 3 * * 1 "]) {
      const config = baseConfig();
      workloadOf(config, "token-refresh").schedule = schedule;
      const run = await declareOk(config);
      const cronJob = inputsOf(find(run, TYPES.cronJob, "token-refresh-cronjob"));
      assert.equal(cronJob.spec.schedule, schedule);
    }
  });
});
