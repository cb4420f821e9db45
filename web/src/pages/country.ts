// Why this file exists: the country/bloc page — where an importer's supply of a mineral comes
// from, one block per traded stage and product set (BACI's reconciled flows apart from the
// processed forms other reporters state), each with its coverage, notes, flow map and origins.

import { api } from '../api';
import { STAGES } from '../types';
import { field, h, input, page, select, showError } from '../ui';
import { worldMap } from '../map';
import { tradeBlocks } from '../trade';

export async function countryPage(params: URLSearchParams): Promise<void> {
  const importer = input('importer', params.get('importer') ?? 'USA', 8);
  const commodity = input('commodity', params.get('c') ?? 'tungsten', 14);
  const stage = select('stage', [['', 'every traded stage'], ...STAGES.map((s): [string, string] => [s, s])], params.get('stage') ?? '');
  const form = h('form', {}, field('Importer (ISO3, name or group)', importer), field('Commodity', commodity), field('Stage', stage), h('button', { type: 'submit' }, 'Show'));
  const out = h('div', { id: 'result' });
  page('Where imports come from', form, out);
  form.addEventListener('submit', e => {
    e.preventDefault();
    location.hash = `#/country?importer=${encodeURIComponent(importer.value)}&c=${encodeURIComponent(commodity.value)}`
      + (stage.value ? `&stage=${stage.value}` : '');
  });
  try {
    const [results] = await Promise.all([api.trade(commodity.value, { importer: importer.value, stage: stage.value }), worldMap()]);
    out.replaceChildren(...tradeBlocks(results));
  } catch (e) {
    showError(out, e);
  }
}
