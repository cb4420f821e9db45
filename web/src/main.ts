// Why this file exists: the dashboard's entry point — a hash router over the pages.

import { commodityPage } from './pages/commodity';
import { countryPage } from './pages/country';
import { eventsPage } from './pages/events';
import { plannerPage } from './pages/planner';
import { riskPage } from './pages/risk';
import { scenarioPage } from './pages/scenario';
import { mountPending } from './ui';

const pages: Record<string, (p: URLSearchParams) => Promise<void>> = {
  commodity: commodityPage,
  country: countryPage,
  risk: riskPage,
  scenario: scenarioPage,
  planner: plannerPage,
  events: eventsPage,
};

async function route(): Promise<void> {
  const [path, query] = location.hash.replace(/^#\/?/, '').split('?');
  const show = pages[path] ?? commodityPage;
  document.body.dataset.page = pages[path] ? path : 'commodity';
  document.body.dataset.ready = 'no';
  await show(new URLSearchParams(query ?? ''));
  mountPending();
  document.body.dataset.ready = 'yes';
}

window.addEventListener('hashchange', () => void route());
void route();
