// Why this file exists: the scenario page — pick a canned disruption or edit its TOML, run it
// through the trade cascade, and see losses on a map and in a table with Monte Carlo bands.

import { api } from '../api';
import { chart, field, h, input, mountPending, page, pct, select, showError, table } from '../ui';
import { worldMap } from '../map';

export async function scenarioPage(params: URLSearchParams): Promise<void> {
  const out = h('div', { id: 'result' });
  const canned = await api.scenarios();
  const pick = select('scenario', canned.map((s): [string, string] => [s.file, s.name]), params.get('s') ?? canned[0]?.file);
  const text = h('textarea', { name: 'toml', spellcheck: 'false' });
  const draws = input('draws', params.get('draws') ?? '200', 6);
  const load = () => { text.value = canned.find(s => s.file === pick.value)?.toml ?? ''; };
  load();
  pick.addEventListener('change', load);
  const form = h('form', { id: 'scenario-form' }, field('Scenario', pick), field('Monte Carlo draws', draws), h('button', { type: 'submit', id: 'run' }, 'Run'));
  page('Disruption scenario', form, text, out);
  const run = async () => {
    out.replaceChildren(h('p', {}, 'Running…'));
    try {
      const [sim] = await Promise.all([api.simulate(text.value, { draws: draws.value }), worldMap()]);
      const parts: Node[] = [h('p', {}, `${sim.scenario}: ${sim.model} model, ${sim.draws} draws (seed ${sim.seed}). Trade: ${sim.trade_source}.`)];
      for (const r of sim.results) {
        const hit = r.countries.filter(c => c.loss_t > 0);
        parts.push(h('h2', {}, `${r.commodity} — ${r.stage} stage, ${r.year}: initial shock ${Math.round(r.initial_shock_t).toLocaleString('en')} t`));
        for (const s of r.shocks) {
          const who = s.countries.length ? s.countries.join(', ') : 'not in this network';
          parts.push(h('p', { class: 'shock' }, `Shock: ${s.origin} (${who}): ${s.kind} cut ${+(s.magnitude * 100).toFixed(1)} % ${s.targets}, ${Math.round(s.initial_t).toLocaleString('en')} t`));
        }
        parts.push(h('p', { class: 'muted' }, `Tonnes are ${r.basis}.`));
        parts.push(chart(`loss-${r.commodity}-${r.stage}`, {
          title: { text: 'Use cut, % of apparent use', left: 'center', textStyle: { fontSize: 13 } },
          tooltip: { trigger: 'item' },
          visualMap: { min: 0, max: 100, left: 10, bottom: 10, inRange: { color: ['#fff3e0', '#b3261e'] } },
          series: [{ type: 'map', map: 'world', roam: true, data: hit.map(c => ({ name: c.country, value: c.share_of_use == null ? 0 : +(c.share_of_use * 100).toFixed(2) })) }],
        }, true));
        parts.push(table(`loss-${r.commodity}-${r.stage}`, ['country', 'loss (t)', 'use (t)', 'share of use cut', 'p05 (t)', 'p50 (t)', 'p95 (t)', 'stock draw (t)', 'depth'],
          hit.map(c => [c.country, Math.round(c.loss_t) || 0, Math.round(c.use_t) || 0, c.share_of_use == null ? 'no own use' : pct(c.share_of_use), c.band?.p05, c.band?.p50, c.band?.p95, Math.round(c.stock_draw_t) || 0, c.depth])));
      }
      out.replaceChildren(...parts);
      mountPending();
      out.dataset.done = 'yes';
    } catch (e) {
      showError(out, e);
      out.dataset.done = 'error';
    }
  };
  form.addEventListener('submit', e => { e.preventDefault(); void run(); });
  if (params.get('run') === '1') void run();
}
