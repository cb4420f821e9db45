// Why this file exists: the risk page — every mineral scored from a chosen viewpoint by a chosen
// method, as a sortable table and a chart.

import { api } from '../api';
import { chart, field, h, input, page, select, showError, table, tooltipItem } from '../ui';

export async function riskPage(params: URLSearchParams): Promise<void> {
  const viewpoint = input('viewpoint', params.get('viewpoint') ?? 'USA', 8);
  const method = select('method', [['geopolrisk', 'GeoPolRisk'], ['geopolrisk-stage', 'GeoPolRisk by stage (Lodestone extension)'], ['eu', 'EU supply risk'], ['hhi', 'HHI']], params.get('method') ?? 'geopolrisk');
  const form = h('form', {}, field('Viewpoint (ISO3 or group)', viewpoint), field('Method', method), h('button', { type: 'submit' }, 'Score'));
  const out = h('div', { id: 'result' });
  page('Supply risk by mineral', form, out);
  form.addEventListener('submit', e => {
    e.preventDefault();
    location.hash = `#/risk?viewpoint=${encodeURIComponent(viewpoint.value)}&method=${method.value}`;
  });
  try {
    const r = await api.risk({ viewpoint: viewpoint.value, method: method.value });
    // Rows with a score, the score known to be a number.
    const scored = r.rows.flatMap(x => (x.score === null ? [] : [{ ...x, score: x.score }]));
    // Import reliance per mineral from the same viewpoint (highest over its traded stages).
    const reliance = await Promise.all(scored.map(x =>
      api.trade(x.commodity, { importer: viewpoint.value, year: String(r.year) })
        .then(stages => Math.max(...stages.map(s => s.import_reliance ?? -1)))
        .catch(() => -1)));
    const points = scored.map((x, i) => ({ name: x.name, value: [+(reliance[i] * 100).toFixed(1), x.score] }))
      .filter(p => p.value[0] >= 0);
    out.replaceChildren(
      h('p', {}, `${r.viewpoint.name} (${r.viewpoint.members.length} members), ${r.year}, method ${r.method}.`),
      chart(`risk-${r.method}-${r.viewpoint.id}`, {
        title: { text: `Score by mineral`, textStyle: { fontSize: 13 } },
        tooltip: {}, grid: { bottom: 90 },
        xAxis: { type: 'category', data: scored.map(x => x.name), axisLabel: { rotate: 60 } },
        yAxis: { type: 'value' },
        series: [{ type: 'bar', data: scored.map(x => x.score), itemStyle: { color: '#b3261e' } }],
      }, true),
      chart(`risk-vs-reliance-${r.method}-${r.viewpoint.id}`, {
        title: { text: `Score against import reliance (${points.length} minerals with both)`, textStyle: { fontSize: 13 } },
        tooltip: { formatter: x => {
          const p = points[tooltipItem(x)?.dataIndex ?? -1];
          return p ? `${p.name}: reliance ${p.value[0]} %, score ${p.value[1].toFixed(4)}` : '';
        } },
        xAxis: { type: 'value', name: 'import reliance %', nameLocation: 'middle', nameGap: 28 },
        yAxis: { type: 'value', name: 'score' },
        series: [{ type: 'scatter', symbolSize: 12, data: points, label: { show: true, position: 'right', formatter: '{b}', fontSize: 10 } }],
      }, true),
      table(`risk-${r.method}-${r.viewpoint.id}`, ['mineral', 'score', 'year', 'detail / why no score'],
        r.rows.map(x => [{ text: x.name, href: `#/commodity?c=${x.commodity}` }, x.score, String(x.year), x.missing || x.detail])),
    );
  } catch (e) {
    showError(out, e);
  }
}
