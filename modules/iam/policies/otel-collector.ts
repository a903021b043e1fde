import { type PolicyStatement } from "../policy-document";

/** The only actions the collector's `awsxray` exporter calls: it uploads segment documents (PutTraceSegments) and, with its telemetry on, its own counters (PutTelemetryRecords). */
export const XRAY_WRITE_ACTIONS = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"] as const;

/**
 * What the OpenTelemetry Collector may do: write traces to X-Ray, nothing else (no read, no
 * sampling rules, no groups). Neither action has a resource type (Service Authorization
 * Reference, "Actions, resources, and condition keys for AWS X-Ray": their Resource types column
 * is empty), so they take "*", as AWS's own AWSXRayDaemonWriteAccess does; a role holding them
 * can write trace segments and nothing more.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html
 */
export function otelCollectorStatements(): PolicyStatement[] {
  return [{ Sid: "WriteTracesToXRay", Effect: "Allow", Action: [...XRAY_WRITE_ACTIONS], Resource: "*" }];
}
