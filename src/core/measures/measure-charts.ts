import { DEFAULT_BLAST_HOPS } from '../policy/exposure';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { isAvailable, type Measure, type Measures } from './measures-model';

/**
 * The measures as charts, drawn by Apache ECharts and rendered to an SVG
 * string on the spot: its server-side rendering (init with no DOM element,
 * `ssr: true`, renderToSVGString) runs the same in Node (CLI, attestation
 * packs) and in the renderer's worker, needs no DOM, no canvas and no
 * network, and loads nothing (every series is given inline). ECharts was
 * chosen over vega + vega-lite because it has a documented no-DOM SVG path
 * in one package with two dependencies (zrender, tslib) and no loader that
 * can fetch; the core build below pulls in only bar charts and the SVG
 * renderer.
 *
 * ECharts escapes text it writes into the SVG (XML), so hostile snapshot
 * names stay text; measure-charts.test.ts parses the output to hold it to
 * that. What it writes for interactive pages is removed, so the SVG suits a
 * page whose Content-Security-Policy allows no inline style (the
 * attestation pack): the hover stylesheet (a static report has no hover)
 * with the class names it styles (numbered across the process, so they
 * would make the output depend on what was drawn before), and inline
 * `style` attributes, turned into SVG presentation attributes.
 * Element ids carry a prefix of the caller's, so several charts can share
 * one page and the output never depends on how many charts the process drew
 * before (ECharts numbers its instances).
 */

echarts.use([BarChart, GridComponent, LegendComponent, TitleComponent, SVGRenderer]);

export interface MeasureChart {
  readonly id: string;
  readonly title: string;
  /** What the chart shows, in words (for a caption and for readers without the picture). */
  readonly caption: string;
  readonly svg: string;
}

interface Series {
  readonly name: string;
  readonly values: readonly (number | null)[];
}

const WIDTH = 560;
const HEIGHT = 240;
const PALETTE = ['#8c8c8c', '#d9822b', '#2b6cb0', '#38a169'];

/** One bar chart: a group of bars per snapshot, one bar per series; null values leave a gap. */
function barChart(id: string, title: string, categories: readonly string[], series: readonly Series[], stacked = false): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height: HEIGHT });
  try {
    chart.setOption({
      animation: false,
      color: PALETTE,
      textStyle: { fontFamily: 'sans-serif', fontSize: 11 },
      title: { text: title, left: 0, top: 0, textStyle: { fontSize: 12, fontWeight: 'bold' } },
      legend: { top: 20, left: 0, data: series.map((entry) => entry.name) },
      grid: { left: 56, right: 12, top: 56, bottom: 32 },
      xAxis: { type: 'category', data: [...categories], axisLabel: { interval: 0, overflow: 'truncate', width: Math.max(40, (WIDTH - 80) / Math.max(1, categories.length)) } },
      yAxis: { type: 'value' },
      series: series.map((entry) => ({ type: 'bar', name: entry.name, data: [...entry.values], ...(stacked ? { stack: 'all' } : {}) })),
    });
    return staticSvg(chart.renderToSVGString(), id);
  } finally {
    chart.dispose();
  }
}

/** The SVG without what only an interactive page uses, ids prefixed (see the file comment). */
export function staticSvg(svg: string, idPrefix: string): string {
  if (!/^[a-z][a-z0-9-]*$/.test(idPrefix)) throw new Error(`chart id "${idPrefix}" must be lowercase letters, digits and dashes`);
  return svg
    .replace(/<style\b[^>]*>[\s\S]*?<\/style>/g, '')
    .replace(/ style="([^"]*)"/g, (_match, declarations: string) => presentation(declarations))
    .replace(/ class="[^"]*"/g, '')
    .replace(/(id="|url\(#|href="#)zr\d+-/g, `$1${idPrefix}-`);
}

/** "font-size:12px;font-family:sans-serif;" → ` font-size="12px" font-family="sans-serif"` (declarations ECharts wrote from the options above). */
function presentation(declarations: string): string {
  return declarations
    .split(';')
    .map((declaration) => declaration.trim())
    .filter((declaration) => declaration.length > 0)
    .map((declaration) => {
      const colon = declaration.indexOf(':');
      const name = declaration.slice(0, colon).trim();
      const value = declaration.slice(colon + 1).trim();
      // Text in an attribute value: ECharts already escaped it for the style attribute it was in.
      return colon > 0 && /^[a-z-]+$/.test(name) ? ` ${name}="${value}"` : '';
    })
    .join('');
}

const figure = <T extends object>(measure: Measure<T>, pick: (figures: T) => number | null): number | null => (isAvailable(measure) ? pick(measure) : null);

const round = (value: number | null, digits = 2): number | null => (value === null ? null : Number(value.toFixed(digits)));

/** Why a measure is missing from some snapshots, for the caption; empty when every snapshot has it. */
function gaps(snapshots: readonly Measures[], pick: (measures: Measures) => Measure<object>): string {
  const missing = snapshots.filter((measures) => !isAvailable(pick(measures)));
  if (missing.length === 0) return '';
  const reasons = [...new Set(missing.map((measures) => (pick(measures) as { unavailable: string }).unavailable))];
  return ` Unavailable for ${missing.map((measures) => measures.snapshot.name).join(', ')}: ${reasons.join('; ')}.`;
}

/** One chart per measure across the snapshots (in the order given: measureTrend's, by their data). */
export function measureCharts(snapshots: readonly Measures[], idPrefix = 'measure'): MeasureChart[] {
  const names = snapshots.map((measures) => measures.snapshot.name);
  const beforeAfter = (pick: (measures: Measures) => Measure<{ flat: number; currentStage: number; fullEnforcement: number }>, digits = 0): Series[] => [
    { name: 'flat network', values: snapshots.map((measures) => round(figure(pick(measures), (m) => m.flat), digits)) },
    { name: 'current stages', values: snapshots.map((measures) => round(figure(pick(measures), (m) => m.currentStage), digits)) },
    { name: 'full enforcement', values: snapshots.map((measures) => round(figure(pick(measures), (m) => m.fullEnforcement), digits)) },
  ];
  const charts: { id: string; title: string; caption: string; draw: () => string }[] = [
    {
      id: 'pairs',
      title: 'Host pairs reachable',
      caption: `Ordered pairs of internal hosts that can reach each other: every pair in the flat network, through the rules and the groups' stages now, and with every group enforced.${gaps(snapshots, (m) => m.reachablePairs)}`,
      draw: () => barChart(`${idPrefix}-pairs`, 'Host pairs reachable', names, beforeAfter((m) => m.reachablePairs)),
    },
    {
      id: 'admin',
      title: 'Admin paths',
      caption: `Host pairs reachable on a remote-administration service (the policy's admin services).${gaps(snapshots, (m) => m.adminPaths)}`,
      draw: () => barChart(`${idPrefix}-admin`, 'Admin paths', names, beforeAfter((m) => m.adminPaths)),
    },
    {
      id: 'blast',
      title: 'Lateral-movement blast radius (mean hosts)',
      caption: `Hosts a compromised host reaches within ${snapshots.map((m) => (isAvailable(m.blastRadius) ? m.blastRadius.hops : null)).find((hops) => hops !== null) ?? DEFAULT_BLAST_HOPS} hops, on average.${gaps(snapshots, (m) => m.blastRadius)}`,
      draw: () => barChart(`${idPrefix}-blast`, 'Blast radius (mean hosts)', names, beforeAfter((m) => (isAvailable(m.blastRadius) ? m.blastRadius.mean : m.blastRadius), 2)),
    },
    {
      id: 'stages',
      title: 'Share of hosts per stage',
      caption: 'Share of internal hosts whose group observes, enforces selected services, or enforces everything; ungrouped hosts are in no group.',
      draw: () =>
        barChart(
          `${idPrefix}-stages`,
          'Share of hosts per stage (%)',
          names,
          (['observe', 'selective', 'enforce', 'ungrouped'] as const).map((stage) => ({ name: stage, values: snapshots.map((m) => round(m.hostsPerStage.share[stage] * 100, 1)) })),
          true,
        ),
    },
    {
      id: 'certifications',
      title: 'Rules certified and expired',
      caption: 'Rules an owner certified, and certifications that lapsed before the end of the snapshot\'s data.',
      draw: () =>
        barChart(`${idPrefix}-certifications`, 'Rules certified and expired', names, [
          { name: 'certified', values: snapshots.map((m) => m.certifications.certified) },
          { name: 'expired', values: snapshots.map((m) => m.certifications.expired) },
        ]),
    },
    {
      id: 'drift',
      title: 'Drift',
      caption: `New edges per week against the policy (edges the fully enforced policy would block), and rules with no traffic in the last days of data.${gaps(snapshots, (m) => m.drift)}`,
      draw: () =>
        barChart(`${idPrefix}-drift`, 'Drift', names, [
          { name: 'new edges per week', values: snapshots.map((m) => round(figure(m.drift, (d) => d.perWeek))) },
          { name: 'unused rules', values: snapshots.map((m) => figure(m.unusedRules, (u) => u.count)) },
        ]),
    },
    {
      id: 'anomalies',
      title: 'Anomalies found and open',
      caption: `Anomalies flagged by the analysis, and those the analyst has not accepted as legitimate.${gaps(snapshots, (m) => m.anomalies)}`,
      draw: () =>
        barChart(`${idPrefix}-anomalies`, 'Anomalies found and open', names, [
          { name: 'found', values: snapshots.map((m) => figure(m.anomalies, (a) => a.found)) },
          { name: 'open', values: snapshots.map((m) => figure(m.anomalies, (a) => a.open)) },
        ]),
    },
  ];
  return charts.map(({ id, title, caption, draw }) => ({ id, title, caption, svg: draw() }));
}
