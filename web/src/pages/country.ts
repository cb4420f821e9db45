// Why this file exists: the country/bloc page — where an importer's supply of a mineral comes
// from (a flow map of origins into the importer), its reliance and concern-set exposure.

import { get } from '../api';
import { chart, field, h, input, page, pct, showError, table } from '../ui';
import { worldMap } from '../map';

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
    const [stages] = await Promise.all([get(`/api/trade/${encodeURIComponent(commodity.value)}`, { importer: importer.value }), worldMap()]);
    const parts: Node[] = [];
    for (const d of stages) {
      const origins = d.origins.filter((o: any) => o.share_quantity > 0);
      parts.push(h('h2', {}, `${d.commodity} — ${d.stage}, ${d.year} (HS ${d.hs_codes.join(', ')})`),
        h('p', {}, `Imports ${Math.round(d.imports_t).toLocaleString('en')} t; import reliance ${pct(d.import_reliance)} (${d.import_reliance_rule}); concern-set share ${pct(d.concern_share_quantity)} by quantity. Trade: ${d.trade_source}.`));
      parts.push(chart(`${d.commodity}-${d.stage}-origins`, {
        title: { text: `Origins of ${d.viewpoint}'s imports (share of tonnes)`, left: 'center', textStyle: { fontSize: 13 } },
        tooltip: { trigger: 'item' },
        visualMap: { min: 0, max: 100, left: 10, bottom: 10, inRange: { color: ['#fdeee4', '#b3261e'] } },
        series: [
          { type: 'map', map: 'world', roam: true, data: origins.map((o: any) => ({ name: o.iso3, value: +(o.share_quantity * 100).toFixed(2) })) },
          { type: 'map', map: 'world', geoIndex: undefined, data: d.members.map((m: string) => ({ name: m, value: 0, itemStyle: { areaColor: '#06750f' } })) },
        ],
      }, true));
      parts.push(table(`${d.commodity}-${d.stage}-origins`, ['origin', 'tonnes', 'kUSD', 'share (t)', 'share (USD)', 'concern set'],
        origins.map((o: any) => [o.name, Math.round(o.quantity_t), Math.round(o.value_kusd), pct(o.share_quantity), pct(o.share_value), o.in_concern_set ? 'yes' : ''])));
    }
    out.replaceChildren(...parts);
  } catch (e) {
    showError(out, e);
  }
}
