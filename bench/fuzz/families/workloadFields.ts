/**
 * Fuzz families: the Kubernetes workload fields the API server validates: replicas, ports,
 * minReadySeconds, progressDeadlineSeconds, the rollout strategy, and CronJob schedules. Each
 * family cites the upstream rule that decides its verdicts.
 */
import { type Family } from "../model";
import { K8S_VALIDATION } from "../rules";
import { values, dep, cron } from "./helpers";

export const WORKLOAD_FIELD_FAMILIES: Family[] = [
  {
    name: "replicas-int32",
    rule: `${K8S_VALIDATION}: ValidateNonnegativeField(spec.replicas); replicas is int32 (staging/src/k8s.io/api/apps/v1/types.go)`,
    make: values(dep("replicas"), [
      ["-1", "refused"],
      ["0", "accepted"],
      ["2147483647", "accepted"],
      ["2147483648", "refused"],
      ["99999999999999999999", "refused"],
    ]),
  },
  {
    name: "port-range",
    rule: "kubernetes (master, as indexed) staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go IsValidPortNum (1-65535), used by pkg/apis/core/validation validateContainerPorts",
    make: values(dep("port"), [
      ["0", "refused"],
      ["1", "accepted"],
      ["65535", "accepted"],
      ["65536", "refused"],
      ["-80", "refused"],
    ]),
  },
  {
    name: "minReadySeconds",
    rule: `${K8S_VALIDATION}: ValidateNonnegativeField(minReadySeconds); progressDeadlineSeconds must be greater than minReadySeconds`,
    make: (b) =>
      values(dep("minReadySeconds"), [
        ["-1", "refused"],
        ["0", "accepted"],
        ["599", "accepted"],
        ["600", "refused"],
      ])(b).map((s) => ({
        ...s,
        alsoPaths: [`workloads.${b.deployment}.progressDeadlineSeconds`],
      })),
  },
  {
    name: "progressDeadlineSeconds",
    rule: `${K8S_VALIDATION}: progressDeadlineSeconds > minReadySeconds (default 10), int32; 2147483647 means no deadline, which pulumi-kubernetes await/deployment.go never sees complete (docs/config-reference.md)`,
    make: values(dep("progressDeadlineSeconds"), [
      ["0", "refused"],
      ["10", "refused"],
      ["16", "accepted"],
      ["2147483646", "accepted"],
      ["2147483647", "refused"],
    ]),
  },
  {
    name: "rollout-maxUnavailable",
    rule: `${K8S_VALIDATION} ValidateRollingUpdateDeployment: ValidatePositiveIntOrPercent (percent: apimachinery IsValidPercent ^[0-9]+%$), IsNotMoreThan100Percent(maxUnavailable), not both 0`,
    make: values(dep("rollout"), [
      ["{ maxUnavailable: '25%', maxSurge: 1 }", "accepted"],
      ["{ maxUnavailable: '100%', maxSurge: 0 }", "accepted"],
      ["{ maxUnavailable: '101%', maxSurge: 1 }", "refused"],
      ["{ maxUnavailable: 0, maxSurge: 0 }", "refused"],
      ["{ maxUnavailable: '0%', maxSurge: '0%' }", "refused"],
      ["{ maxUnavailable: -1, maxSurge: 1 }", "refused"],
      ["{ maxUnavailable: 'abc', maxSurge: 1 }", "refused"],
    ]),
  },
  {
    name: "rollout-maxSurge-percent",
    rule: `${K8S_VALIDATION} ValidateRollingUpdateDeployment: maxSurge is ValidatePositiveIntOrPercent only (IsValidPercent ^[0-9]+%$, no 100% bound)`,
    make: values(dep("rollout"), [
      ["{ maxUnavailable: 0, maxSurge: '150%' }", "accepted"],
      ["{ maxUnavailable: 0, maxSurge: '1000%' }", "accepted"],
      ["{ maxUnavailable: 0, maxSurge: '007%' }", "accepted"],
      ["{ maxUnavailable: 0, maxSurge: '25%' }", "accepted"],
      ["{ maxUnavailable: 0, maxSurge: '1.5%' }", "refused"],
    ]),
  },
  {
    name: "cron-schedule-accepted",
    rule: "robfig/cron v3.0.1 parser.go ParseStandard (strings.Fields, `?` as `*`, names sun-sat, @every via time.ParseDuration, descriptors incl. @midnight) as kubernetes (master, as indexed) pkg/apis/batch/validation/validation.go validateScheduleFormat calls it",
    make: values(cron("schedule"), [
      ['"0 3 * * 1"', "accepted"],
      ['"*/15 * * * *"', "accepted"],
      ['"0 3 * * 0-6"', "accepted"],
      ['"0 3 * * SUN"', "accepted"],
      ['"0 3 * * mon-fri"', "accepted"],
      ['"0 3 ? * 1"', "accepted"],
      ['"0 3 1,15 * *"', "accepted"],
      ['"@every 1h"', "accepted"],
      ['"@every 90m"', "accepted"],
      ['"@midnight"', "accepted"],
      ['"@hourly"', "accepted"],
      ['"@weekly"', "accepted"],
      ['"  0 3 * * 1  "', "accepted"],
    ]),
  },
  {
    name: "cron-schedule-refused",
    rule: "robfig/cron v3.0.1 parser.go ParseStandard (dow 0-6, no L/#/H, five fields, descriptors yearly/annually/monthly/weekly/daily/midnight/hourly/every only) and kubernetes (master, as indexed) pkg/apis/batch/validation/validation.go validateScheduleFormat (no TZ)",
    make: values(cron("schedule"), [
      ['"0 3 * * 7"', "refused"],
      ['"0 3 * * 1-7"', "refused"],
      ['"0 3 * * 0-7"', "refused"],
      ['"0 3 * * 1,7"', "refused"],
      ['"0 3 L * *"', "refused"],
      ['"0 3 * * 1#2"', "refused"],
      ['"H 3 * * *"', "refused"],
      ['"@minutely"', "refused"],
      ['"@weekdays"', "refused"],
      ['"@weekends"', "refused"],
      ['"@secondly"', "refused"],
      ['"0 3 * *"', "refused"],
      ['"0 0 3 * * 1"', "refused"],
      ['"TZ=UTC 0 3 * * 1"', "refused"],
      ['"CRON_TZ=UTC 0 3 * * 1"', "refused"],
      ['"60 3 * * 1"', "refused"],
      ['" @daily"', "refused"],
      ['"@every 1x"', "refused"],
    ]),
  },
];
