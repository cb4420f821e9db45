// Why this file exists: the commodity page — who produces it (map, ranking, time series) at the
// stage chosen among those with data, with C5 and the concern set highlighted, and every
// result's stage, measure (production or capacity), year, source, basis and denominator.

import { api } from '../api';
import { STAGES } from '../types';
import type { CommodityEntry, Control, ProducerRow, SourceFamily } from '../types';
import { chart, field, h, input, page, pct, select, showError, sourceCell, table, tooltipItem } from '../ui';
import { worldMap } from '../map';

let catalogue: Promise<CommodityEntry[]> | undefined;

/** The catalogue, fetched once per page load. */
function commodities(): Promise<CommodityEntry[]> {
  catalogue ??= api.commodities();
  return catalogue;
}

/** The catalogue entry a typed name stands for: its id, name or a synonym (case ignored). */
function entryFor(all: CommodityEntry[], typed: string): CommodityEntry | undefined {
  const t = typed.trim().toLowerCase();
  return all.find(c => c.id === t || c.name.toLowerCase() === t || c.synonyms.some(s => s.toLowerCase() === t));
}

/** The stage selector's options: the server's main series, then the stages with data in
 *  supply-chain order (and the stage asked for, if the catalogue does not list it). */
function stageOptions(entry: CommodityEntry | undefined, chosen: string): [string, string][] {
  const have = new Set<string>(entry?.stages_with_data ?? STAGES);
  if (chosen) have.add(chosen);
  const order: string[] = [...STAGES, ...[...have].filter(s => !(STAGES as readonly string[]).includes(s))];
  return [['', 'main series'], ...order.filter(s => have.has(s)).map((s): [string, string] => [s, s])];
}

const FAMILY: Record<SourceFamily, string> = {
  usgs: 'USGS MCS', wmd: 'World Mining Data', iea: 'IEA Critical Minerals', facts: 'Cited facts', myb: 'USGS Minerals Yearbook',
};

export async function commodityPage(params: URLSearchParams): Promise<void> {
  const commodity = input('commodity', params.get('c') ?? 'tungsten', 14);
  const chosen = params.get('stage') ?? '';
  const stageField = h('span', {}, select('stage', stageOptions(undefined, chosen), chosen));
  const form = h('form', {}, field('Commodity', commodity), field('Stage', stageField), h('button', { type: 'submit' }, 'Show'));
  const out = h('div', { id: 'result' });
  page('Who produces it', form, out);
  const go = (stage: string) => {
    location.hash = `#/commodity?c=${encodeURIComponent(commodity.value)}` + (stage ? `&stage=${encodeURIComponent(stage)}` : '');
  };
  /** Puts a selector with these options in the form; choosing a stage reloads the profile. */
  const setStages = (options: [string, string][]) => {
    const s = select('stage', options, chosen);
    s.addEventListener('change', () => go(s.value));
    stageField.replaceChildren(s);
    return s;
  };
  let stage = setStages(stageOptions(undefined, chosen));
  form.addEventListener('submit', e => {
    e.preventDefault();
    go(stage.value);
  });
  try {
    const all = await commodities().catch(() => []);
    let entry = entryFor(all, commodity.value);
    stage = setStages(stageOptions(entry, chosen));
    const [p] = await Promise.all([api.profile(commodity.value, { stage: chosen }), worldMap()]);
    if (!entry || entry.id !== p.commodity) {
      entry = all.find(c => c.id === p.commodity);
      stage = setStages(stageOptions(entry, chosen));
    }
    // The main series is one of the stages: say which.
    if (!chosen && stage.options[0]) stage.options[0].text = `main series (${p.stage})`;
    const measure = p.measure;
    // Rows with a share, the share known to be a number.
    const rows = p.producers.flatMap(r => (r.share === null ? [] : [{ ...r, share: r.share }]));
    const colour = (r: ProducerRow) => (r.in_c5 ? '#06750f' : r.in_concern_set ? '#b3261e' : '#3b6ea8');
    const map = chart(`${p.commodity}-${p.stage}-map`, {
      title: { text: `${p.name}: share of world ${p.stage} ${measure}, ${p.year}`, left: 'center', textStyle: { fontSize: 13 } },
      tooltip: { trigger: 'item', formatter: x => {
        const d = tooltipItem(x);
        return `${d?.name}: ${typeof d?.value !== 'number' || isNaN(d.value) ? 'no data' : d.value.toFixed(1) + ' %'}`;
      } },
      visualMap: { min: 0, max: Math.max(...rows.map(r => r.share * 100), 1), left: 10, bottom: 10, text: ['%', ''], calculable: true, inRange: { color: ['#e8f0fa', '#0b3d91'] } },
      series: [{ type: 'map', map: 'world', roam: true, emphasis: { label: { show: false } }, data: rows.map(r => ({ name: r.iso3, value: r.share * 100 })) }],
    }, true);
    const top = rows.slice(0, 15).reverse();
    const bars = chart(`${p.commodity}-${p.stage}-ranking`, {
      title: { text: `Largest ${p.stage} ${measure} (${p.unit}, ${p.basis} basis), ${p.year}`, textStyle: { fontSize: 13 } },
      grid: { left: 120 },
      tooltip: {},
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: top.map(r => r.country + (r.in_c5 ? ' (C5)' : '')) },
      series: [{ type: 'bar', data: top.map(r => ({ value: r.value, itemStyle: { color: colour(r) } })) }],
    });
    const years = p.available_years.slice(-6);
    const series = await Promise.all(years.map(y => api.profile(p.commodity, { stage: chosen, year: String(y) }).catch(() => null)));
    const leaders = rows.slice(0, 5).map(r => r.iso3);
    const trend = chart(`${p.commodity}-${p.stage}-trend`, {
      title: { text: `Share of world ${p.stage} ${measure} by year`, textStyle: { fontSize: 13 } },
      tooltip: { trigger: 'axis' },
      legend: { top: 24 },
      xAxis: { type: 'category', data: years.map(String) },
      yAxis: { type: 'value', axisLabel: { formatter: '{value} %' } },
      series: leaders.map(iso => ({
        name: iso, type: 'line',
        data: series.map(s => { const r = s?.producers.find(x => x.iso3 === iso); return r?.share == null ? null : +(r.share * 100).toFixed(2); }),
      })),
    });
    // Stage, measure, year, source, basis and denominator with every result.
    const denominator = `${p.denominator.toLocaleString('en', { maximumFractionDigits: 3 })} ${p.unit}`;
    const scope = h('p', { class: 'scope', 'data-stage': p.stage, 'data-measure': measure },
      `${p.name}, ${p.stage} ${measure} ${p.year} — ${FAMILY[p.source]} ${p.edition}; ${p.basis} basis, ${p.unit}; `
      + `shares of ${denominator} (${p.denominator_rule})`
      + (measure === 'capacity' ? '; figures are nameplate capacity, not output' : ''));
    const groups = h('p', {}, `HHI ${p.hhi.toFixed(3)} · top-3 ${pct(p.top3_share)} · ` + p.groups.map(g => `${g.group} ${pct(g.production_share)}`).join(' · '));
    const t = table(`${p.commodity}-${p.stage}-producers`, ['rank', 'country', measure, 'unit', 'share', 'reserves', 'source'],
      p.producers.map(r => [r.rank, { text: r.country, cls: r.in_c5 ? 'c5' : r.in_concern_set ? 'concern' : '' }, r.value ?? r.provenance[0]?.original, p.unit, pct(r.share), r.reserves, sourceCell(r.provenance[0])]));
    const notes = p.notes.length ? [h('ul', { class: 'notes' }, ...p.notes.map(n => h('li', {}, n)))] : [];
    // Whose mines: the concern set's control through ownership, with the assets and owners.
    const control = p.control ? [controlSection(p.control)] : [];
    const imports = h('p', {}, 'Imports by stage, product set and source: ',
      h('a', { href: `#/country?importer=USA&c=${encodeURIComponent(p.commodity)}` }, `where the USA’s ${p.name.toLowerCase()} comes from`), '.');
    out.replaceChildren(scope, groups, ...notes, map, h('div', { class: 'row' }, bars, trend), t, ...control,
      h('p', {}, `Source: ${FAMILY[p.source]} ${p.edition}; ${p.stage} ${measure}, ${p.year}; ${p.basis} basis; world total ${denominator}, ${p.denominator_rule}.`),
      imports);
  } catch (e) {
    showError(out, e);
  }
}

/** The concern set's control through ownership: the range, its coverage, the assets abroad. */
function controlSection(c: Control): HTMLElement {
  const range = Math.abs(c.controlled_high - c.controlled_low) < 5e-4
    ? pct(c.controlled_low) : `${pct(c.controlled_low)} to ${pct(c.controlled_high)}`;
  const head = h('p', { class: 'control' },
    `Controlled by the concern set (${c.members.join(', ')}) through ownership: ${range} of world output, counting only output whose owners are recorded `
    + `(located there ${pct(c.by_location)}; ownership known for ${pct(c.coverage)}).`);
  const t = table(`${c.commodity}-${c.stage}-control`, ['asset', 'country', 'output', 'share', 'concern held', 'controlled', 'owners', 'counted'],
    c.assets.map(a => [a.name, a.country, a.output, pct(a.share_of_world), pct(a.concern_held), a.controlled ? 'yes' : 'no',
      a.owners.map(o => `${o.name} ${pct(o.share)} ${o.country || '?'}`).join('; '), a.counted]));
  return h('section', {}, head, t, h('p', { class: 'notes' }, `Rule: ${c.rule}.`),
    h('ul', { class: 'notes' }, ...c.notes.map(n => h('li', {}, n))));
}
