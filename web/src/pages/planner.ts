// Why this file exists: the pipeline and planner page — the supply forecast with bands, the
// projects behind it, and the sourcing mix that lowers risk under caps and floors.

import { api } from '../api';
import { type Band, UNIT_SYMBOL } from '../types';
import { chart, citation, field, h, input, page, pct, showError, table } from '../ui';

export async function plannerPage(params: URLSearchParams): Promise<void> {
  const commodity = input('commodity', params.get('c') ?? 'tungsten', 12);
  const importer = input('importer', params.get('importer') ?? 'USA', 6);
  const cap = input('cap', params.get('cap') ?? 'CHN=0.2', 14);
  const prefer = input('prefer', params.get('prefer') ?? 'c5', 8);
  const form = h('form', {}, field('Commodity', commodity), field('Importer', importer), field('Caps (WHO=SHARE,…)', cap), field('Prefer', prefer), h('button', { type: 'submit' }, 'Plan'));
  const out = h('div', { id: 'result' });
  page('Pipeline and sourcing planner', form, out);
  form.addEventListener('submit', e => {
    e.preventDefault();
    location.hash = `#/planner?c=${encodeURIComponent(commodity.value)}&importer=${encodeURIComponent(importer.value)}&cap=${encodeURIComponent(cap.value)}&prefer=${encodeURIComponent(prefer.value)}`;
  });
  try {
    const [f, plan, projects] = await Promise.all([
      api.forecast(commodity.value, { draws: '500' }),
      api.plan(commodity.value, { importer: importer.value, cap: cap.value, prefer: prefer.value }),
      api.projects({ commodity: commodity.value }),
    ]);
    const years = f.years.map(y => y.year);
    const band = (k: keyof Band) => f.years.map(y => y.concern_band ? +(y.concern_band[k] * 100).toFixed(2) : +(y.concern_share * 100).toFixed(2));
    const bandC5 = (k: keyof Band) => f.years.map(y => y.c5_band ? +(y.c5_band[k] * 100).toFixed(2) : +(y.c5_share * 100).toFixed(2));
    const origins = plan.origins.filter(o => o.current_share > 0.001 || o.planned_share > 0.001);
    out.replaceChildren(
      chart(`forecast-${f.commodity}`, {
        title: { text: `Concern-set and C5 share of world supply, with 5–95 % bands`, textStyle: { fontSize: 13 } },
        tooltip: { trigger: 'axis' }, legend: { top: 24 },
        xAxis: { type: 'category', data: years.map(String) },
        yAxis: { type: 'value', axisLabel: { formatter: '{value} %' } },
        series: [
          { name: 'concern expected', type: 'line', data: f.years.map(y => +(y.concern_share * 100).toFixed(2)) },
          { name: 'concern p05', type: 'line', lineStyle: { type: 'dashed' }, data: band('p05') },
          { name: 'concern p95', type: 'line', lineStyle: { type: 'dashed' }, data: band('p95') },
          { name: 'C5 expected', type: 'line', data: f.years.map(y => +(y.c5_share * 100).toFixed(2)) },
          { name: 'C5 p95', type: 'line', lineStyle: { type: 'dashed' }, data: bandC5('p95') },
        ],
      }),
      chart(`plan-${plan.commodity}-${plan.importer}`, {
        title: { text: `${plan.importer} sourcing mix ${plan.year}: risk ${plan.risk_before.toFixed(3)} → ${plan.risk_after.toFixed(3)}`, textStyle: { fontSize: 13 } },
        tooltip: { trigger: 'axis' }, legend: { top: 24 }, grid: { bottom: 60 },
        xAxis: { type: 'category', data: origins.map(o => o.origin), axisLabel: { rotate: 45 } },
        yAxis: { type: 'value', axisLabel: { formatter: '{value} %' } },
        series: [
          { name: 'current', type: 'bar', data: origins.map(o => +(o.current_share * 100).toFixed(2)) },
          { name: 'planned', type: 'bar', data: origins.map(o => +(o.planned_share * 100).toFixed(2)) },
        ],
      }),
      h('p', {}, `Binding: ${plan.binding.join('; ') || 'none'}. ${plan.notes.join(' ')}`),
      h('p', {}, `Basis: ${plan.basis}. ${plan.demand.how}.`),
      table(`plan-${plan.commodity}-${plan.importer}`, ['origin', 'role', 'current', 'planned', 'max (offer)', 'WGI', 'weight', 'relative cost', 'why', 'flags'],
        origins.map(o => [o.origin, o.role, pct(o.current_share), pct(o.planned_share), pct(o.max_share), o.wgi === null ? 'n/a' : o.wgi.toFixed(2), o.weight.toFixed(2), o.relative_cost.toFixed(2), o.why, o.flags.join('; ')])),
      h('h2', {}, 'Projects'),
      table(`projects-${commodity.value}`, ['project', 'country', 'status', 'first production', 'capacity', 'source'],
        projects.map(p => [p.name || p.id, p.country, p.status, String(p.first_production),
          `${p.capacity.value} ${UNIT_SYMBOL[p.capacity.unit] ?? p.capacity.unit} ${p.capacity.basis}`, p.sources.map(citation).join('; ')])),
    );
  } catch (e) {
    showError(out, e);
  }
}
