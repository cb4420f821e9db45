// Why this file exists: one trade result — a (stage, product set) pair of GET /api/trade — as a
// block of the page: its products, year and coverage (which sources, reporters and flows are
// behind it), its notes, a flow map and the origins table. Product sets are never summed, so
// each is shown on its own.

import type { Coverage, ImportDependence, Origin } from './types';
import { chart, h, pct, table, tooltipItem } from './ui';
import { centre } from './map';

/** Nomenclature of each block of 10⁸ product keys (`Nomenclature::of_key`; 5 and above are
 *  purchase statistics). */
const NOMENCLATURE = ['HS1992', 'HS2017', 'HS2022', 'CN8', 'HTS8'] as const;

/** A product key printed as the server prints it (`ProductLabel`): "HS 261210",
 *  "HTS8 28418000", "CN8 81129220", "purchases #1". */
export function productLabel(key: number): string {
  const block = Math.floor(key / 1e8);
  if (block === 0) return `HS ${String(key).padStart(6, '0')}`;
  const code = key % 1e8;
  return block >= NOMENCLATURE.length ? `purchases #${code}` : `${NOMENCLATURE[block]} ${code}`;
}

export function productLabels(keys: number[]): string {
  return keys.map(productLabel).join(', ');
}

const SET_NAME: Record<ImportDependence['product_set'], string> = {
  reconciled: 'reconciled flows (CEPII BACI HS92, every reporter)',
  reported: 'reported flows (processed forms as other reporters state them: customs, Minerals Yearbook, purchases; partial coverage)',
};

/** "source (provenance: reporters; N flows)". */
export function coverageLine(c: Coverage): string {
  const who = c.reporters.length ? c.reporters.join(', ') : 'every reporter';
  return `${c.source} (${c.provenance}: ${who}; ${c.flows.toLocaleString('en')} ${c.flows === 1 ? 'flow' : 'flows'})`;
}

/** Tonnes with the precision small quantities need. */
function tonnes(t: number): number {
  return t >= 100 ? Math.round(t) : +t.toFixed(3);
}

/** The blocks of one trade answer, in the server's order (stage, then product set). */
export function tradeBlocks(results: ImportDependence[]): Node[] {
  return results.flatMap(tradeBlock);
}

/** One (stage, product set) result. Quantity or value columns the source does not give (a
 *  total of 0) print "–", not 0. */
export function tradeBlock(d: ImportDependence): Node[] {
  const hasT = d.imports_t > 0;
  const hasV = d.imports_kusd > 0;
  const share = (o: Origin) => (hasT ? o.share_quantity : o.share_value);
  const origins = d.origins.filter(o => o.share_quantity > 0 || o.share_value > 0);
  const name = `${d.commodity}-${d.stage}-${d.product_set}-origins`;
  const parts: Node[] = [
    h('h2', {}, `${d.commodity} — ${d.stage}, ${d.year}: ${productLabels(d.hs_codes)}`),
    h('p', { class: 'scope' }, `Stage ${d.stage} · ${SET_NAME[d.product_set]} · ${d.year} · imports into ${d.viewpoint}`),
    h('p', {}, `Imports ${hasT ? tonnes(d.imports_t).toLocaleString('en') + ' t' : '–'}`
      + `${hasV ? `, ${Math.round(d.imports_kusd).toLocaleString('en')} kUSD` : ', value not given by the source'}`
      + `; import reliance ${pct(d.import_reliance)} (${d.import_reliance_rule})`
      + `; concern-set share ${hasT ? pct(d.concern_share_quantity) + ' by quantity' : '–'}`
      + `${hasV ? `, ${pct(d.concern_share_value)} by value` : ''}.`),
    h('ul', { class: 'coverage' }, ...d.coverage.map(c => h('li', {}, `Coverage: ${coverageLine(c)}`))),
  ];
  if (d.notes.length) parts.push(h('ul', { class: 'notes' }, ...d.notes.map(n => h('li', {}, n))));
  if (!origins.length) {
    parts.push(h('p', {}, 'No imports from outside the importer in these products and year.'));
    return [h('section', { class: 'trade', 'data-stage': d.stage, 'data-product-set': d.product_set }, ...parts)];
  }
  // Flows into the importer: one line per origin, as thick as its share (tonnes, or value when
  // the source gives no tonnes).
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
          value: +(share(o) * 100).toFixed(2),
          lineStyle: { width: 1 + 10 * share(o), color: o.in_concern_set ? '#b3261e' : '#3b6ea8' },
        }] : [];
      })
    : [];
  parts.push(chart(name, {
    title: { text: `Flows into ${d.viewpoint}, ${d.stage} (${d.product_set}; share of ${hasT ? 'tonnes' : 'value'}; red = concern set)`, left: 'center', textStyle: { fontSize: 13 } },
    tooltip: { trigger: 'item', formatter: x => {
      const p = tooltipItem(x);
      return `${p?.name}: ${typeof p?.value === 'number' && !isNaN(p.value) ? p.value : 0} %`;
    } },
    geo: { map: 'world', roam: true, itemStyle: { areaColor: '#f3f5f8', borderColor: '#c9cfd8' } },
    visualMap: { seriesIndex: 0, min: 0, max: 100, left: 10, bottom: 10, inRange: { color: ['#fdeee4', '#b3261e'] } },
    series: [
      { type: 'map', geoIndex: 0, data: origins.map(o => ({ name: o.iso3, value: +(share(o) * 100).toFixed(2) })) },
      { type: 'lines', coordinateSystem: 'geo', zlevel: 1, symbol: ['none', 'arrow'], symbolSize: 8, lineStyle: { opacity: 0.8, curveness: 0.2 }, data: flows },
    ],
  }, true));
  parts.push(table(name, ['origin', 'tonnes', 'kUSD', 'share (t)', 'share (USD)', 'concern set'],
    origins.map(o => [
      { text: o.name, cls: o.in_concern_set ? 'concern' : '' },
      hasT && o.quantity_t > 0 ? tonnes(o.quantity_t) : '–',
      hasV && o.value_kusd > 0 ? Math.round(o.value_kusd) : '–',
      hasT && o.quantity_t > 0 ? pct(o.share_quantity) : '–',
      hasV && o.value_kusd > 0 ? pct(o.share_value) : '–',
      o.in_concern_set ? 'yes' : '',
    ])));
  return [h('section', { class: 'trade', 'data-stage': d.stage, 'data-product-set': d.product_set }, ...parts)];
}
