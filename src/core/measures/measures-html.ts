import { escapeHtml } from '../attest/html-escape';
import { selfContainedPage } from '../attest/html-page';
import { measureCharts } from './measure-charts';
import { formatHeadline, HEADLINE_LABELS, headlineOf, type HeadlineFigures, type MeasureTrend } from './measure-trend';
import type { Measures } from './measures-model';

/**
 * The measures as HTML: a section (charts, each with its caption, and a
 * table of the figures) that the attestation pack's report and the CLI's
 * stand-alone page both use. No script; the charts are inline SVG whose
 * text ECharts escaped; every other value from the inputs goes through
 * escapeHtml.
 */

const HEADLINES = Object.keys(HEADLINE_LABELS) as (keyof HeadlineFigures)[];

function figuresTable(snapshots: readonly Measures[]): string {
  const head = `<tr><th>Measure</th>${snapshots.map((m) => `<th>${escapeHtml(m.snapshot.name)}<br><span class="muted">${escapeHtml(m.snapshot.at ?? 'no date')}</span></th>`).join('')}</tr>`;
  const rows = HEADLINES.map((key) => `<tr><td>${escapeHtml(HEADLINE_LABELS[key])}</td>${snapshots.map((m) => `<td>${escapeHtml(formatHeadline(key, headlineOf(m)[key]))}</td>`).join('')}</tr>`);
  return `<table><thead>${head}</thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

export function measuresSection(trend: MeasureTrend, idPrefix: string, heading = 'Measures of success'): string {
  const charts = measureCharts(trend.snapshots, idPrefix)
    .map((chart) => `<figure class="chart">${chart.svg}<figcaption>${escapeHtml(chart.caption)}</figcaption></figure>`)
    .join('\n');
  const settings = `Rules count as unused after ${trend.settings.unusedDays} days without traffic; certifications are judged at the end of each snapshot's data.`;
  return `<section class="measures"><h2>${escapeHtml(heading)}</h2>${figuresTable(trend.snapshots)}<p class="muted">${escapeHtml(settings)}</p>\n${charts}</section>`;
}

/** Styles the section needs (chart text, figure layout), for a page's own stylesheet. */
export const MEASURES_STYLE = `figure.chart{margin:.8em 0;break-inside:avoid}figure.chart svg{max-width:100%;height:auto}figcaption{font-size:9pt;color:#555}`;

const PAGE_STYLE = `
body{font:10pt/1.4 system-ui,sans-serif;color:#111;margin:2em}
h1{font-size:16pt}h2{font-size:12pt;margin-top:1.6em;border-bottom:1px solid #999}
table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #bbb;padding:2px 6px;text-align:left;vertical-align:top}
th{background:#eee}.muted{color:#555}
${MEASURES_STYLE}
`;

/** A stand-alone page of the measures (flowfence measures --html): no script, and a CSP allowing only its own stylesheet. */
export function measuresHtml(trend: MeasureTrend): string {
  return selfContainedPage('Flowfence measures of success', PAGE_STYLE, `<h1>Measures of success</h1>\n${measuresSection(trend, 'measures', 'Across snapshots, in the order of their data')}`);
}
