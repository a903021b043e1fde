/** One point of the scale chart. */
export interface ScalePoint {
  readonly environments: number;
  readonly seconds: number;
  readonly peakMb?: number;
}

/**
 * SVG chart of synth time and peak memory against the number of environments, drawn with
 * Vega-Lite (two panels sharing the x axis). Vega is ESM-only, hence the dynamic imports.
 */
export async function scaleChartSvg(points: readonly ScalePoint[]): Promise<string> {
  const vl = await import("vega-lite");
  const vega = await import("vega");
  const values = points.flatMap((p) => [
    { environments: p.environments, metric: "synth time (s)", value: Number(p.seconds.toFixed(3)) },
    ...(p.peakMb === undefined ? [] : [{ environments: p.environments, metric: "peak memory (MB)", value: Math.round(p.peakMb) }]),
  ]);
  const spec = vl.compile({
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: "Synth cost against number of environments (time: median of runs; memory: peak)",
    data: { values },
    facet: { row: { field: "metric", type: "nominal", title: null } },
    resolve: { scale: { y: "independent" } },
    spec: {
      width: 480,
      height: 180,
      layer: [
        { mark: { type: "line", point: true }, encoding: { x: { field: "environments", type: "quantitative", title: "environments" }, y: { field: "value", type: "quantitative", title: null, scale: { zero: true } } } },
        { mark: { type: "text", dy: -10 }, encoding: { x: { field: "environments", type: "quantitative" }, y: { field: "value", type: "quantitative" }, text: { field: "value" } } },
      ],
    },
  }).spec;
  const view = new vega.View(vega.parse(spec), { renderer: "none" });
  return `${await view.toSVG()}\n`;
}
