// Why this file exists: the commodity page — who produces it (map, ranking, time series), with
// C5 and the concern set highlighted and every row's source.

import { api } from '../api';
import type { ProducerRow, SourceFamily } from '../types';
import { chart, field, h, input, page, pct, select, showError, sourceCell, table, tooltipItem } from '../ui';
import { worldMap } from '../map';

export async function commodityPage(params: URLSearchParams): Promise<void> {
  const commodity = input('commodity', params.get('c') ?? 'tungsten', 14);
  const stage = select('stage', [['', 'main series'], ['mine', 'mine'], ['refinery', 'refinery'], ['smelter', 'smelter'], ['processing', 'processing']], params.get('stage') ?? '');
  const form = h('form', {}, field('Commodity', commodity), field('Stage', stage), h('button', { type: 'submit' }, 'Show'));
  const out = h('div', { id: 'result' });
  page('Who produces it', form, out);
  form.addEventListener('submit', e => {
    e.preventDefault();
    location.hash = `#/commodity?c=${encodeURIComponent(commodity.value)}&stage=${stage.value}`;
  });
  try {
    const [p] = await Promise.all([api.profile(commodity.value, { stage: stage.value }), worldMap()]);
    // Rows with a share, the share known to be a number.
    const rows = p.producers.flatMap(r => (r.share === null ? [] : [{ ...r, share: r.share }]));
    const colour = (r: ProducerRow) => (r.in_c5 ? '#06750f' : r.in_concern_set ? '#b3261e' : '#3b6ea8');
    const map = chart(`${p.commodity}-map`, {
      title: { text: `${p.name}: share of world ${p.stage} production, ${p.year}`, left: 'center', textStyle: { fontSize: 13 } },
      tooltip: { trigger: 'item', formatter: x => {
        const d = tooltipItem(x);
        return `${d?.name}: ${typeof d?.value !== 'number' || isNaN(d.value) ? 'no data' : d.value.toFixed(1) + ' %'}`;
      } },
      visualMap: { min: 0, max: Math.max(...rows.map(r => r.share * 100), 1), left: 10, bottom: 10, text: ['%', ''], calculable: true, inRange: { color: ['#e8f0fa', '#0b3d91'] } },
      series: [{ type: 'map', map: 'world', roam: true, emphasis: { label: { show: false } }, data: rows.map(r => ({ name: r.iso3, value: r.share * 100 })) }],
    }, true);
    const top = rows.slice(0, 15).reverse();
    const bars = chart(`${p.commodity}-ranking`, {
      title: { text: `Top producers (${p.unit}, ${p.basis} basis)`, textStyle: { fontSize: 13 } },
      grid: { left: 120 },
      tooltip: {},
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: top.map(r => r.country + (r.in_c5 ? ' (C5)' : '')) },
      series: [{ type: 'bar', data: top.map(r => ({ value: r.value, itemStyle: { color: colour(r) } })) }],
    });
    const years = p.available_years.slice(-6);
    const series = await Promise.all(years.map(y => api.profile(p.commodity, { stage: stage.value, year: String(y) }).catch(() => null)));
    const leaders = rows.slice(0, 5).map(r => r.iso3);
    const trend = chart(`${p.commodity}-trend`, {
      title: { text: 'Share of world production by year', textStyle: { fontSize: 13 } },
      tooltip: { trigger: 'axis' },
      legend: { top: 24 },
      xAxis: { type: 'category', data: years.map(String) },
      yAxis: { type: 'value', axisLabel: { formatter: '{value} %' } },
      series: leaders.map(iso => ({
        name: iso, type: 'line',
        data: series.map(s => { const r = s?.producers.find(x => x.iso3 === iso); return r?.share == null ? null : +(r.share * 100).toFixed(2); }),
      })),
    });
    // Stage, year, source, basis and coverage with every result.
    const family: Record<SourceFamily, string> = { usgs: 'USGS MCS', wmd: 'World Mining Data', iea: 'IEA Critical Minerals' };
    const scope = h('p', {}, `${p.name}, ${p.stage} production ${p.year} — ${family[p.source]} ${p.edition}; ${p.basis} basis, ${p.unit}; shares of ${p.denominator_rule}`);
    const groups = h('p', {}, `HHI ${p.hhi.toFixed(3)} · top-3 ${pct(p.top3_share)} · ` + p.groups.map(g => `${g.group} ${pct(g.production_share)}`).join(' · '));
    const t = table(`${p.commodity}-producers`, ['rank', 'country', 'production', 'unit', 'share', 'reserves', 'source'],
      p.producers.map(r => [r.rank, { text: r.country, cls: r.in_c5 ? 'c5' : r.in_concern_set ? 'concern' : '' }, r.value ?? r.provenance[0]?.original, p.unit, pct(r.share), r.reserves, sourceCell(r.provenance[0])]));
    out.replaceChildren(scope, groups, map, h('div', { class: 'row' }, bars, trend), t,
      h('p', {}, `Source: ${p.source.toUpperCase()} ${p.edition}; world total ${p.denominator_rule}.`));
  } catch (e) {
    showError(out, e);
  }
}
