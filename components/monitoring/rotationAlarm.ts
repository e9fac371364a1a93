import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { MonitorSpec } from "../../config/types";
import { PROJECT as MANAGED_BY } from "../../core/project";
import { AlarmSubject, alarmDescription, alarmName } from "./alarmText";

export interface RotationAlarmArgs extends AlarmSubject {
  /** The metric, threshold and actions (validated: see `parseMonitor`). */
  monitor: MonitorSpec;
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
    const alarm = new aws.cloudwatch.MetricAlarm(
      `${name}-alarm`,
      {
        // A fixed name, not an auto-name: the alarm is the same alarm across rotations.
        name: alarmName(args.environment, args.secret),
        alarmDescription: alarmDescription(args),
        namespace: monitor.namespace,
        metricName: monitor.metricName,
        dimensions: monitor.dimensions,
        statistic: monitor.statistic,
        threshold: monitor.threshold,
        comparisonOperator: monitor.comparisonOperator,
        period: monitor.period,
        evaluationPeriods: monitor.evaluationPeriods,
        datapointsToAlarm: monitor.datapointsToAlarm,
        treatMissingData: monitor.treatMissingData,
        actionsEnabled: true,
        alarmActions: monitor.alarmActions,
        okActions: monitor.okActions,
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
