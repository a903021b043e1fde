/**
 * A typed Grafana dashboard: the subset of Grafana's dashboard JSON model this project writes
 * (grafana.com/docs/grafana/latest/dashboards/build-dashboards/view-dashboard-json-model/).
 * Panels are timeseries and stat panels with Prometheus targets, on the data source the
 * kube-prometheus-stack chart provisions.
 */

/**
 * The uid of the Prometheus data source kube-prometheus-stack's Grafana is provisioned with
 * (kube-prometheus-stack 88.5.3 values.yaml, `grafana.sidecar.datasources.uid: prometheus`).
 */
export const PROMETHEUS_DATASOURCE_UID = "prometheus";

/** A data source reference, by uid (stable across Grafana restarts, unlike a name). */
export interface DatasourceRef {
  readonly type: "prometheus";
  readonly uid: string;
}

/** One PromQL query of a panel. */
export interface PrometheusTarget {
  readonly refId: string;
  readonly datasource: DatasourceRef;
  readonly expr: string;
  /** The series' legend, with `{{label}}` placeholders. */
  readonly legendFormat?: string;
}

/** Where a panel sits: Grafana's grid is 24 columns wide, rows of 30 px. */
export interface GridPos {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** A panel's field settings: its unit and bounds. */
export interface FieldConfig {
  readonly defaults: { readonly unit: string; readonly min?: number; readonly max?: number };
  readonly overrides: readonly never[];
}

/** A timeseries or stat panel. */
export interface Panel {
  readonly id: number;
  readonly type: "timeseries" | "stat";
  readonly title: string;
  readonly description?: string;
  readonly gridPos: GridPos;
  readonly datasource: DatasourceRef;
  readonly targets: readonly PrometheusTarget[];
  readonly fieldConfig: FieldConfig;
}

/** A dashboard, as the Grafana sidecar loads it from a ConfigMap. */
export interface Dashboard {
  /** Stable and short (at most 40 characters, Grafana's limit): the URL is `/d/<uid>`, and alerts link to it by uid. */
  readonly uid: string;
  readonly title: string;
  readonly tags: readonly string[];
  readonly timezone: "browser";
  readonly editable: boolean;
  readonly schemaVersion: number;
  readonly time: { readonly from: string; readonly to: string };
  readonly refresh: string;
  readonly templating: { readonly list: readonly never[] };
  readonly panels: readonly Panel[];
}

/** A panel before layout: what it shows. */
export interface PanelSpec {
  readonly title: string;
  readonly type?: Panel["type"];
  readonly description?: string;
  /** Grafana's unit id: `reqps`, `s`, `percentunit`, `short`, `bytes`, `Bps`. */
  readonly unit: string;
  readonly min?: number;
  readonly max?: number;
  /** Its queries: PromQL and a legend. */
  readonly queries: ReadonlyArray<{ readonly expr: string; readonly legend?: string }>;
}

/** The schema version the JSON is written for (Grafana 11/12 read it as is). */
const SCHEMA_VERSION = 39;

/** Grafana's uid limit. */
export const MAX_UID_LENGTH = 40;

/**
 * A dashboard from its panels, laid out in order: stat panels four to a row (6 columns by 4),
 * time series two to a row (12 by 8). Panel ids are their position, unique in the dashboard.
 */
export function dashboard(props: { readonly uid: string; readonly title: string; readonly tags: readonly string[]; readonly panels: readonly PanelSpec[] }): Dashboard {
  if (props.uid.length > MAX_UID_LENGTH || !/^[a-z0-9-]+$/.test(props.uid)) throw new Error(`dashboard uid "${props.uid}" must be at most ${MAX_UID_LENGTH} of a-z, 0-9 and '-'`);
  const datasource: DatasourceRef = { type: "prometheus", uid: PROMETHEUS_DATASOURCE_UID };
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  const panels = props.panels.map((spec, i): Panel => {
    const type = spec.type ?? "timeseries";
    const [w, h] = type === "stat" ? [6, 4] : [12, 8];
    if (x + w > 24) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const gridPos = { x, y, w, h };
    x += w;
    rowHeight = Math.max(rowHeight, h);
    return {
      id: i + 1,
      type,
      title: spec.title,
      ...(spec.description ? { description: spec.description } : {}),
      gridPos,
      datasource,
      targets: spec.queries.map((q, j) => ({ refId: String.fromCharCode(65 + j), datasource, expr: q.expr, ...(q.legend ? { legendFormat: q.legend } : {}) })),
      fieldConfig: { defaults: { unit: spec.unit, ...(spec.min !== undefined ? { min: spec.min } : {}), ...(spec.max !== undefined ? { max: spec.max } : {}) }, overrides: [] },
    };
  });
  return { uid: props.uid, title: props.title, tags: [...props.tags], timezone: "browser", editable: false, schemaVersion: SCHEMA_VERSION, time: { from: "now-6h", to: "now" }, refresh: "1m", templating: { list: [] }, panels };
}
