/**
 * What the HTML report's client script draws: chart descriptions in plain JSON (no functions), which
 * `reports/html/client.js` turns into chart.js charts. Value formats name how the client
 * prints ticks and tooltips, since formatter functions cannot travel as JSON.
 */

/** How a value prints: `duration` ms (`850ms`, `12.3s`), `seconds` of virtual time, `usd`, `percent` (0–1), `count`, `ratio`. */
export type ValueFormat = 'duration' | 'seconds' | 'usd' | 'percent' | 'count' | 'ratio';

/** One axis. */
export interface AxisSpec {
  readonly title: string;
  readonly format: ValueFormat;
  /** Logarithmic scale. Default false. */
  readonly log?: boolean;
  readonly min?: number;
  readonly max?: number;
  /** Distance between ticks of a linear axis. Default: chart.js picks one. */
  readonly step?: number;
  /** Stack the datasets along this axis. Default false. */
  readonly stacked?: boolean;
  /** A category axis with these labels (for `{x, y: label}` points). */
  readonly categories?: readonly string[];
}

/** A point of a line or scatter chart; `y` is a category label on a category axis. */
export interface PointSpec {
  readonly x: number;
  /** Null leaves a gap in a line. */
  readonly y: number | string | null;
  /** Extra text for the tooltip. */
  readonly note?: string;
  /**
   * Text drawn beside the point. The client stacks the labels of points that are drawn within a
   * few pixels of each other into one block, so coinciding points stay readable.
   */
  readonly label?: string;
}

/** A chart.js marker shape. */
export type PointStyle = 'circle' | 'rect' | 'rectRot' | 'triangle' | 'crossRot' | 'star' | 'line';

/** One dataset; the client passes these fields to chart.js. */
export interface DatasetSpec {
  readonly label: string;
  readonly data: readonly (number | null | readonly [number, number] | PointSpec)[];
  /** One colour, or one per data item. */
  readonly color: string | readonly string[];
  /** Draw this dataset as another type than the chart's (e.g. a line over a scatter). */
  readonly type?: 'line' | 'scatter' | 'bar';
  readonly pointRadius?: number;
  /** One marker shape, or one per data item. */
  readonly pointStyle?: PointStyle | readonly PointStyle[];
  readonly showLine?: boolean;
  readonly dashed?: boolean;
  /** Join a line across null values instead of leaving a gap. Default false. */
  readonly spanGaps?: boolean;
  /** Draw the line as a staircase that steps at each point: horizontal first, then vertical. Default false. */
  readonly stepped?: boolean;
  /** Markers with a see-through fill and a solid outline, so markers under them show. Default false. */
  readonly hollow?: boolean;
  /** List the dataset in the legend. Default true. */
  readonly inLegend?: boolean;
}

/** One chart. */
export interface ChartSpec {
  /** The canvas id, unique in the page. */
  readonly id: string;
  readonly title: string;
  readonly type: 'bar' | 'line' | 'scatter';
  /** Category labels of a bar chart (and of a waterfall's rows). */
  readonly labels?: readonly string[];
  readonly datasets: readonly DatasetSpec[];
  readonly x: AxisSpec;
  readonly y: AxisSpec;
  /** Horizontal bars (waterfalls). Default false. */
  readonly horizontal?: boolean;
  /** Canvas height in px. Default 320. */
  readonly height?: number;
  /** Show the legend. Default true. */
  readonly legend?: boolean;
  /** The legend shows each dataset's marker shape (one `pointStyle` per dataset) rather than a box. Default false. */
  readonly pointLegend?: boolean;
  /** A line under the chart: what it leaves out (e.g. the tail cut off its time axis). */
  readonly note?: string;
}

/** A section of a scenario: a heading, what it shows, and its charts (none: `empty` says why). */
export interface ReportSection {
  readonly id: string;
  readonly title: string;
  readonly note: string;
  readonly charts: readonly ChartSpec[];
  /** Shown instead of charts when the run recorded nothing for this section. */
  readonly empty?: string;
}

/** Colour-blind-friendly palette (Okabe–Ito, then Tableau), cycled. */
const PALETTE = ['#0072b2', '#e69f00', '#009e73', '#d55e00', '#cc79a7', '#56b4e9', '#f0e442', '#000000', '#8c564b', '#7f7f7f'];

/** The `index`-th colour of the palette. */
export function colour(index: number): string {
  return PALETTE[index % PALETTE.length] as string;
}

/** Shown when a section has nothing to draw. */
export const NO_DATA = 'No data in this run.';

/** A section: its charts, or — when there are none — the `empty` note. */
export function section(id: string, title: string, note: string, charts: readonly ChartSpec[], empty: string = NO_DATA): ReportSection {
  return charts.length > 0 ? { id, title, note, charts } : { id, title, note, charts, empty };
}
