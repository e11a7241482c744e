import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
echarts.use([BarChart, GridComponent, SVGRenderer]);
const texts = ['<script>alert(1)</script> & "x" {a|b} Poreska uprava: 40 %', 'Управа: 90 % · 2 overdue'];
const n = texts.length;
const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 400, height: n * 52 + 12 });
chart.setOption({ animation: false, grid: { left: 0, right: 8, top: 12, bottom: 0 }, xAxis: { type: 'value', min: 0, max: 1, show: false }, yAxis: { type: 'category', data: texts.map((_, i) => String(i)), inverse: true, show: false },
  series: [{ type: 'bar', data: [0.4, 0.9], barWidth: 22, silent: true, emphasis: { disabled: true }, showBackground: true, backgroundStyle: { color: '#e6e6e6' }, itemStyle: { color: '#0072B2' },
    label: { show: true, position: [0, -20], align: 'left', color: '#1a1a1a', fontSize: 16, formatter: (p) => texts[p.dataIndex] } }] });
console.log(chart.renderToSVGString());
