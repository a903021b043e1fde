import { Construct } from "constructs";
import { type AlarmNotification, notifyingAlarm } from "./alarm";

/** Props of {@link NatAlarms}. */
export interface NatAlarmsProps extends AlarmNotification {
  /** Prefix of the alarms' names (the environment's name). */
  readonly namePrefix: string;
  /** The NAT gateways, by the zone each is in. */
  readonly natGatewayIds: Readonly<Record<string, string>>;
  readonly thresholds: {
    /** Port allocation errors in 5 minutes above which the alarm fires. */
    readonly portAllocationErrors: number;
    /** Packets dropped in 5 minutes above which the alarm fires (twice in a row). */
    readonly packetsDropped: number;
  };
}

/**
 * Two alarms per NAT gateway, on the `AWS/NATGateway` metrics of its `NatGatewayId`:
 *
 * - `ErrorPortAllocation` (Sum, 5 minutes): the gateway found no free source port for a new
 *   connection to one destination (55,000 concurrent per destination IP, port and protocol), so
 *   that connection failed: critical, the services' calls out are failing.
 * - `PacketsDropCount` (Sum, 5 minutes, twice in a row): packets the gateway dropped; a steady
 *   count points at the gateway or at a destination throttling it: warning.
 *
 * Both are published only when non-zero, so missing data is "not breaching".
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/metrics-dimensions-nat-gateway.html
 */
export class NatAlarms extends Construct {
  constructor(scope: Construct, id: string, props: NatAlarmsProps) {
    super(scope, id);
    for (const [zone, gatewayId] of Object.entries(props.natGatewayIds)) {
      const at = new Construct(this, zone);
      const common = { namespace: "AWS/NATGateway", dimensions: { NatGatewayId: gatewayId }, statistic: "Sum", period: 300, comparisonOperator: "GreaterThanThreshold", treatMissingData: "notBreaching" };
      notifyingAlarm(at, "port-allocation-errors", props, {
        ...common,
        name: `${props.namePrefix}-nat-${zone}-port-allocation-errors`,
        severity: "critical",
        summary: `The NAT gateway of ${zone} could not allocate a source port: connections out of the VPC are failing.`,
        runbook: "aws-nat-port-allocation.md",
        metricName: "ErrorPortAllocation",
        threshold: props.thresholds.portAllocationErrors,
        evaluationPeriods: 1,
      });
      notifyingAlarm(at, "packets-dropped", props, {
        ...common,
        name: `${props.namePrefix}-nat-${zone}-packets-dropped`,
        severity: "warning",
        summary: `The NAT gateway of ${zone} is dropping packets.`,
        runbook: "aws-nat-packets-dropped.md",
        metricName: "PacketsDropCount",
        threshold: props.thresholds.packetsDropped,
        evaluationPeriods: 2,
      });
    }
  }
}
