// Why this file exists: the country/bloc page — where an importer's supply of a mineral comes
// from (a flow map of origins into the importer), its reliance and concern-set exposure.

import { api } from '../api';
import { chart, field, h, input, page, pct, showError, table, tooltipItem } from '../ui';
import { centre, worldMap } from '../map';

export async function countryPage(params: URLSearchParams): Promise<void> {
  const importer = input('importer', params.get('importer') ?? 'USA', 8);
  const commodity = input('commodity', params.get('c') ?? 'tungsten', 14);
  const form = h('form', {}, field('Importer (ISO3, name or group)', importer), field('Commodity', commodity), h('button', { type: 'submit' }, 'Show'));
  const out = h('div', { id: 'result' });
  page('Where imports come from', form, out);
  form.addEventListener('submit', e => {
    e.preventDefault();
    location.hash = `#/country?importer=${encodeURIComponent(importer.value)}&c=${encodeURIComponent(commodity.value)}`;
  });
  try {
    const [stages] = await Promise.all([api.trade(commodity.value, { importer: importer.value }), worldMap()]);
    const parts: Node[] = [];
    for (const d of stages) {
      const origins = d.origins.filter(o => o.share_quantity > 0);
      parts.push(h('h2', {}, `${d.commodity} — ${d.stage}, ${d.year} (HS ${d.hs_codes.join(', ')})`),
        h('p', {}, `Imports ${Math.round(d.imports_t).toLocaleString('en')} t; import reliance ${pct(d.import_reliance)} (${d.import_reliance_rule}); concern-set share ${pct(d.concern_share_quantity)} by quantity. Trade: ${d.trade_source}.`));
      // Flows into the importer: one line per origin, as thick as its share of tonnes.
      const members = d.members.map(centre).filter((c): c is [number, number] => c !== undefined);
      const into: [number, number] | undefined = members.length
        ? [members.reduce((a, c) => a + c[0], 0) / members.length, members.reduce((a, c) => a + c[1], 0) / members.length]
        : undefined;
      const flows = into
        ? origins.flatMap(o => {
            const from = centre(o.iso3);
            return from && !d.members.includes(o.iso3) ? [{
              name: o.name,
              coords: [from, into],
              value: +(o.share_quantity * 100).toFixed(2),
              lineStyle: { width: 1 + 10 * o.share_quantity, color: o.in_concern_set ? '#b3261e' : '#3b6ea8' },
            }] : [];
          })
        : [];
      parts.push(chart(`${d.commodity}-${d.stage}-origins`, {
        title: { text: `Flows into ${d.viewpoint} (share of tonnes; red = concern set)`, left: 'center', textStyle: { fontSize: 13 } },
        tooltip: { trigger: 'item', formatter: x => {
          const p = tooltipItem(x);
          return `${p?.name}: ${typeof p?.value === 'number' && !isNaN(p.value) ? p.value : 0} %`;
        } },
        geo: { map: 'world', roam: true, itemStyle: { areaColor: '#f3f5f8', borderColor: '#c9cfd8' } },
        visualMap: { seriesIndex: 0, min: 0, max: 100, left: 10, bottom: 10, inRange: { color: ['#fdeee4', '#b3261e'] } },
        series: [
          { type: 'map', geoIndex: 0, data: origins.map(o => ({ name: o.iso3, value: +(o.share_quantity * 100).toFixed(2) })) },
          { type: 'lines', coordinateSystem: 'geo', zlevel: 1, symbol: ['none', 'arrow'], symbolSize: 8, lineStyle: { opacity: 0.8, curveness: 0.2 }, data: flows },
        ],
      }, true));
      parts.push(table(`${d.commodity}-${d.stage}-origins`, ['origin', 'tonnes', 'kUSD', 'share (t)', 'share (USD)', 'concern set'],
        origins.map(o => [o.name, Math.round(o.quantity_t), Math.round(o.value_kusd), pct(o.share_quantity), pct(o.share_value), o.in_concern_set ? 'yes' : ''])));
    }
    out.replaceChildren(...parts);
  } catch (e) {
    showError(out, e);
  }
}
