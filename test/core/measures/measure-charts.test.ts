import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { measureCharts, staticSvg } from '../../../src/core/measures/measure-charts';
import { measureTrend } from '../../../src/core/measures/measure-trend';
import type { MeasureSnapshot } from '../../../src/core/measures/measures-model';
import { edge, group, handPolicy, hostsOf, rule } from '../policy/fixtures';

// Snapshot names are file names an analyst (or an attacker who named the
// file) chose: the SVG must stay well-formed XML with the name as text.
const HOSTILE = '</svg><script>alert(1)</script>&amp;"\'<![CDATA[x]]>zr0-c0';

const edges = [edge('10.0.1.1', '10.0.2.1', 5432), edge('10.0.3.1', '10.0.2.1', 22)];
const snapshot = (name: string): MeasureSnapshot => ({
  name,
  policy: handPolicy([group('g1', ['10.0.1.1'], { name: HOSTILE }), group('g2', ['10.0.2.1'])], [rule('g1', 'g2', 6, { from: 5432, to: 5432 })]),
  flows: { edges, replay: edges, hosts: hostsOf(edges) },
  anomalies: { found: 1, accepted: 0 },
});
const bare = (name: string): MeasureSnapshot => ({ ...snapshot(name), flows: null, anomalies: null });

const elements = (node: unknown, name: string): number => {
  if (Array.isArray(node)) return node.reduce((sum: number, child) => sum + elements(child, name), 0);
  if (typeof node !== 'object' || node === null) return 0;
  return Object.entries(node).reduce((sum, [key, child]) => sum + (key === name ? 1 : 0) + elements(child, name), 0);
};
const texts = (node: unknown): string[] => {
  if (Array.isArray(node)) return node.flatMap(texts);
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, child]) => (key === '#text' ? [String(child)] : texts(child)));
};

describe('measure charts', () => {
  const trend = measureTrend([snapshot(HOSTILE), bare('b.json')]);
  const charts = measureCharts(trend.snapshots, 'pack');

  it('draws one well-formed SVG per measure, hostile names as text, no script, no style element or attribute', () => {
    expect(charts.map((chart) => chart.id)).toEqual(['pairs', 'admin', 'blast', 'stages', 'certifications', 'drift', 'anomalies']);
    const parser = new XMLParser({ ignoreAttributes: false, preserveOrder: true, processEntities: true, htmlEntities: false });
    for (const chart of charts) {
      expect(XMLValidator.validate(chart.svg)).toBe(true);
      const tree = parser.parse(chart.svg);
      expect(elements(tree, 'svg')).toBe(1);
      expect(elements(tree, 'script')).toBe(0);
      expect(elements(tree, 'style')).toBe(0);
      expect(chart.svg).not.toMatch(/ style="|<script|\bzr\d+-/);
      // Every id is the caller's: several charts can share a page.
      for (const [, id] of chart.svg.matchAll(/ id="([^"]*)"/g)) expect(id).toMatch(new RegExp(`^pack-${chart.id}-`));
      // The hostile name, decoded, is the start of an axis label (long labels are cut to their width).
      const labels = texts(tree);
      expect(labels.some((text) => text.startsWith('</svg>'))).toBe(true);
    }
  });

  it('says which snapshots lack a measure and why, in the caption', () => {
    const pairs = charts.find((chart) => chart.id === 'pairs')!;
    expect(pairs.caption).toMatch(/Unavailable for b\.json: needs flows/);
    expect(charts.find((chart) => chart.id === 'stages')!.caption).not.toMatch(/Unavailable/);
  });

  it('draws the same bytes whatever was drawn before it', () => {
    measureCharts(trend.snapshots, 'other');
    expect(measureCharts(trend.snapshots, 'pack')).toEqual(charts);
  });

  it('refuses an id prefix that is not a plain token', () => {
    expect(() => staticSvg('<svg/>', 'a"b')).toThrow(/lowercase letters/);
  });
});
