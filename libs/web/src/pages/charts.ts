import { html, SafeHtml, trusted } from '../html.js';

type ECharts = typeof import('echarts/core');

/**
 * ECharts with zrender is about 600 modules (4 MB): imported on the first page with a chart, not at
 * start-up (it was the largest part of the production API's start). Pages with charts await
 * `loadCharts()` before rendering.
 */
let engine: ECharts | null = null;
let loading: Promise<ECharts> | null = null;

export function loadCharts(): Promise<ECharts> {
  if (engine) return Promise.resolve(engine);
  loading ??= (async () => {
    // One after the other: they share zrender, and Jest's ESM loader fails on concurrent imports of one graph.
    const core = await import('echarts/core');
    const charts = await import('echarts/charts');
    const components = await import('echarts/components');
    const renderers = await import('echarts/renderers');
    core.use([charts.BarChart, components.GridComponent, renderers.SVGRenderer]);
    engine = core;
    return core;
  })().catch((e: unknown) => {
    loading = null;
    throw e;
  });
  return loading;
}

/**
 * Okabe & Ito's palette, told apart with every common colour-vision deficiency; the bars use its
 * blue on a light track (contrast 5.1:1 against white), and every value is also printed as text.
 */
export const CHART_PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'] as const;

export interface ShareBar {
  /** The label printed above the bar, with its value (what a person reads). */
  text: string;
  /** 0…1. */
  share: number;
}

const WIDTH = 400;
const ROW = 52;
const BAR = 22;
const MAX_ROWS = 25;
const MAX_TEXT = 48;

/**
 * A horizontal bar chart of shares drawn by Apache ECharts on the server (its SSR SVG renderer:
 * no DOM, no canvas, no script sent to the browser). The SVG gets a title and a description for
 * assistive technology (role="img"); ECharts' own hover styles and metadata attributes are
 * dropped, since nothing on the page is interactive. The page puts the data table right after it.
 */
export function shareBarChart(id: string, title: string, description: string, bars: ShareBar[]): SafeHtml {
  const shown = bars.slice(0, MAX_ROWS);
  if (!shown.length) return html``;
  const height = shown.length * ROW + 12;
  if (!engine) throw new Error('shareBarChart: await loadCharts() before rendering a page with a chart');
  const chart = engine.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height });
  try {
    chart.setOption({
      animation: false,
      grid: { left: 0, right: 8, top: 12, bottom: 0 },
      xAxis: { type: 'value', min: 0, max: 1, show: false },
      yAxis: { type: 'category', data: shown.map((_, i) => String(i)), inverse: true, show: false },
      series: [
        {
          type: 'bar',
          data: shown.map((b) => Math.max(0, Math.min(1, b.share))),
          barWidth: BAR,
          barMinWidth: 1,
          silent: true,
          emphasis: { disabled: true },
          showBackground: true,
          backgroundStyle: { color: '#e6e6e6' },
          itemStyle: { color: CHART_PALETTE[0] },
          label: {
            show: true,
            position: [0, -20],
            align: 'left',
            color: '#1a1a1a',
            fontSize: 16,
            width: WIDTH - 8,
            overflow: 'truncate',
            formatter: (p: { dataIndex: number }) => {
              const text = shown[p.dataIndex].text;
              return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
            },
          },
        },
      ],
    });
    const svg = chart
      .renderToSVGString()
      .replace(/<style[\s\S]*?<\/style>/g, '')
      .replace(/ (ecmeta_[a-z_]+|class|pointer-events)="[^"]*"/g, '')
      .replace(/^<svg width="\d+" height="\d+"/, '<svg');
    const open = svg.indexOf('>') + 1;
    const head = html`<title id="${id}-title">${title}</title><desc id="${id}-desc">${description}</desc>`;
    const labelled = `${svg.slice(0, open - 1)} role="img" aria-labelledby="${id}-title ${id}-desc">`;
    return html`<figure class="chart bars">${trusted(labelled)}${head}${trusted(svg.slice(open))}<figcaption>${title}</figcaption></figure>`;
  } finally {
    chart.dispose();
  }
}
