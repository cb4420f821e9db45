// Why this file exists: the events page — the reviewed registry on a timeline (deals, financing,
// export controls) and a table with each event's sources.

import { api } from '../api';
import { chart, citation, field, h, input, page, showError, table, tooltipItem } from '../ui';

export async function eventsPage(params: URLSearchParams): Promise<void> {
  const commodity = input('commodity', params.get('c') ?? '', 12);
  const country = input('country', params.get('country') ?? '', 8);
  const form = h('form', {}, field('Commodity', commodity), field('Country or group', country), h('button', { type: 'submit' }, 'Filter'));
  const out = h('div', { id: 'result' });
  page('Deals, financing and export controls', form, out);
  form.addEventListener('submit', e => {
    e.preventDefault();
    location.hash = `#/events?c=${encodeURIComponent(commodity.value)}&country=${encodeURIComponent(country.value)}`;
  });
  try {
    const events = await api.events({ commodity: commodity.value, country: country.value });
    const kinds = [...new Set(events.map(e => e.kind))].sort();
    out.replaceChildren(
      chart('events-timeline', {
        title: { text: `${events.length} events`, textStyle: { fontSize: 13 } },
        tooltip: { formatter: x => {
          const e = events[tooltipItem(x)?.dataIndex ?? -1];
          return e ? `${e.date} ${e.id}` : '';
        } },
        grid: { left: 140 },
        xAxis: { type: 'time' },
        yAxis: { type: 'category', data: kinds },
        series: [{ type: 'scatter', symbolSize: 10, data: events.map(e => [e.date, e.kind, e.id]) }],
      }, true),
      table('events', ['date', 'type', 'countries', 'commodities', 'summary', 'source'],
        events.map(e => [e.date, e.kind, e.countries.join(' '), e.commodities.join(' '), e.summary,
          e.sources.map(citation).join('; ')])),
    );
  } catch (e) {
    showError(out, e);
  }
}
