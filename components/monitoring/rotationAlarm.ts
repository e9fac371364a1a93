import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PROJECT as MANAGED_BY } from "../../core/project";
import { AlarmSubject, alarmDescription, alarmName } from "./alarmText";

/** How CloudWatch aggregates the metric's datapoints. */
export type AlarmStatistic = "Average" | "Maximum" | "Minimum" | "SampleCount" | "Sum";
/** How the statistic is compared with the threshold. */
export type AlarmComparison =
  | "GreaterThanOrEqualToThreshold"
  | "GreaterThanThreshold"
  | "LessThanOrEqualToThreshold"
  | "LessThanThreshold";
/** What a period without data counts as. */
export type AlarmMissingData = "breaching" | "ignore" | "missing" | "notBreaching";

/** The CloudWatch metric a bad rotation would move, and who to page (PutMetricAlarm's terms). */
export interface AlarmMonitor {
  /** The CloudWatch namespace, such as `AWS/ApplicationELB`. */
  namespace: string;
  /** The metric, such as `HTTPCode_Target_5XX_Count`. */
  metricName: string;
  /**
   * The metric's dimensions, name to value.
   * @default none
   */
  dimensions?: Readonly<Record<string, string>>;
  /** How the metric's datapoints are aggregated. */
  statistic: AlarmStatistic;
  /** The number the statistic is compared with. */
  threshold: number;
  /**
   * How the statistic is compared with the threshold.
   * @default "GreaterThanOrEqualToThreshold"
   */
  comparisonOperator?: AlarmComparison;
  /** Seconds per datapoint: 10, 20, 30 or a multiple of 60. */
  period: number;
  /** How many periods are evaluated. */
  evaluationPeriods: number;
  /**
   * How many of the evaluated periods must breach.
   * @default `evaluationPeriods`
   */
  datapointsToAlarm?: number;
  /**
   * What a period without data counts as (no traffic is not an outage signal).
   * @default "notBreaching"
   */
  treatMissingData?: AlarmMissingData;
  /**
   * ARNs notified when the alarm fires (an SNS topic's `arn` output will do), or `[]` to only
   * record it; taken as `aws.cloudwatch.MetricAlarm` takes it.
   */
  alarmActions: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * ARNs notified when it recovers.
   * @default []
   */
  okActions?: pulumi.Input<pulumi.Input<string>[]>;
}

export interface RotationAlarmArgs extends Omit<AlarmSubject, "stack"> {
  /**
   * The stack the description's commands target.
   * @default the running stack, `pulumi.getStack()`
   */
  stack?: string;
  /** The metric, threshold and actions. */
  monitor: AlarmMonitor;
  /**
   * The alarm description.
   * @default which version runs, and the commands that abort a canary and roll back, written
   * for this project's stack config (`alarmText.ts` alarmDescription)
   */
  description?: pulumi.Input<string>;
}

/**
 * One CloudWatch alarm per secret that watches the metric a bad rotation would move. Its
 * name never changes, so a rotation updates it in place (description and tags name the
 * versions) and its history and state survive; the description carries the rollback command.
 */
export class RotationAlarm extends pulumi.ComponentResource {
  /** The CloudWatch alarm name: `secret-rotation/<environment>/<secret>`. */
  public readonly alarmName: pulumi.Output<string>;
  /** The alarm ARN. */
  public readonly alarmArn: pulumi.Output<string>;

  constructor(name: string, args: RotationAlarmArgs, opts?: pulumi.ComponentResourceOptions) {
    super("secret-rotation:monitoring:RotationAlarm", name, {}, opts);
    const { monitor } = args;
    const subject: AlarmSubject = { ...args, stack: args.stack ?? pulumi.getStack() };
    const alarm = new aws.cloudwatch.MetricAlarm(
      `${name}-alarm`,
      {
        // A fixed name, not an auto-name: the alarm is the same alarm across rotations.
        name: alarmName(args.environment, args.secret),
        alarmDescription: args.description ?? alarmDescription(subject),
        namespace: monitor.namespace,
        metricName: monitor.metricName,
        dimensions: monitor.dimensions,
        statistic: monitor.statistic,
        threshold: monitor.threshold,
        comparisonOperator: monitor.comparisonOperator ?? "GreaterThanOrEqualToThreshold",
        period: monitor.period,
        evaluationPeriods: monitor.evaluationPeriods,
        datapointsToAlarm: monitor.datapointsToAlarm ?? monitor.evaluationPeriods,
        treatMissingData: monitor.treatMissingData ?? "notBreaching",
        actionsEnabled: true,
        alarmActions: monitor.alarmActions,
        okActions: monitor.okActions ?? [],
        tags: {
          environment: args.environment,
          "managed-by": MANAGED_BY,
          secret: args.secret,
          version: args.activeVersion,
          "previous-version": args.previousVersion ?? "none",
          "canary-version": args.canary?.version ?? "none",
        },
      },
      { parent: this },
    );
    this.alarmName = alarm.name;
    this.alarmArn = alarm.arn;
    this.registerOutputs({ alarmName: this.alarmName, alarmArn: this.alarmArn });
  }
}
