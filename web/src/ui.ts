// Why this file exists: the page furniture every page shares — elements, forms, sortable tables
// with CSV download, charts with SVG download, and error display.

import * as echarts from 'echarts';
import type { DefaultLabelFormatterCallbackParams, TooltipComponentFormatterCallbackParams } from 'echarts';
import type { Citation, Provenance } from './types';

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

export function page(title: string, ...children: Node[]): HTMLElement {
  const main = document.getElementById('page')!;
  main.replaceChildren(h('h1', {}, title), ...children);
  return main;
}

export function showError(where: HTMLElement, e: unknown): void {
  where.replaceChildren(h('p', { class: 'error' }, e instanceof Error ? e.message : String(e)));
}

export function field(label: string, input: HTMLElement): HTMLLabelElement {
  return h('label', {}, label, input);
}

export function input(name: string, value: string, size = 10): HTMLInputElement {
  return h('input', { name, value, size: String(size) });
}

export function select(name: string, options: [string, string][], value?: string): HTMLSelectElement {
  const s = h('select', { name });
  for (const [v, label] of options) {
    // The chosen option also carries the `selected` attribute, so it shows in the DOM as well.
    s.append(h('option', v === value ? { value: v, selected: '' } : { value: v }, label));
  }
  if (value !== undefined) s.value = value;
  return s;
}

function download(name: string, mime: string, text: string): void {
  const a = h('a', { href: URL.createObjectURL(new Blob([text], { type: mime })), download: name });
  a.click();
  URL.revokeObjectURL(a.href);
}

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A table cell: a value, or text with an optional link, class and hover title. */
export type Cell = string | number | null | undefined | { text: string; href?: string; cls?: string; title?: string };

/** A table sortable by each of its columns, with its data downloadable as CSV. */
export function table(name: string, head: string[], rows: Cell[][]): HTMLElement {
  const text = (c: Cell) => (c !== null && typeof c === 'object' ? c.text : c);
  const tbody = h('tbody');
  const render = (rs: Cell[][]) => {
    tbody.replaceChildren(...rs.map(r => h('tr', {}, ...r.map(c => {
      if (typeof c === 'number') return h('td', { class: 'num' }, Number.isInteger(c) ? c.toLocaleString('en') : c.toLocaleString('en', { maximumFractionDigits: 4 }));
      if (c !== null && typeof c === 'object') {
        const td = h('td', { ...(c.cls ? { class: c.cls } : {}), ...(c.title ? { title: c.title } : {}) });
        td.append(c.href ? h('a', { href: c.href, rel: 'noreferrer' }, c.text) : c.text);
        return td;
      }
      return h('td', {}, c ?? '–');
    }))));
  };
  let order = rows.slice();
  let last = -1;
  const ths = head.map((t, i) => {
    const th = h('th', { title: 'sort' }, t);
    th.addEventListener('click', () => {
      const dir = last === i ? -1 : 1;
      last = last === i ? -1 : i;
      order = order.slice().sort((a, b) => {
        const x = text(a[i]), y = text(b[i]);
        if (typeof x === 'number' && typeof y === 'number') return (x - y) * dir;
        return String(x ?? '').localeCompare(String(y ?? '')) * dir;
      });
      render(order);
    });
    return th;
  });
  render(order);
  const csv = () => [head, ...rows.map(r => r.map(text))].map(r => r.map(csvCell).join(',')).join('\n');
  const btn = h('button', { type: 'button' }, 'Download CSV');
  btn.addEventListener('click', () => download(`${name}.csv`, 'text/csv', csv() + '\n'));
  return h('div', { class: 'table' }, h('div', { class: 'tools' }, btn), h('table', { 'data-name': name }, h('thead', {}, h('tr', {}, ...ths)), tbody));
}

const pending = new Set<() => boolean>();

/** Draws every chart whose box is now attached; the router calls it before it marks a page
 *  ready, and each chart also asks for it on the next animation frame. */
export function mountPending(): void {
  for (const mount of [...pending]) if (mount()) pending.delete(mount);
  if (pending.size > 0) requestAnimationFrame(mountPending);
}

/** An ECharts chart on canvas, with an SVG of the same option downloadable (rendered off-screen). */
export function chart(name: string, option: echarts.EChartsOption, wide = false): HTMLElement {
  const box = h('div', { class: wide ? 'chart wide' : 'chart', 'data-chart': name });
  const btn = h('button', { type: 'button' }, 'Download SVG');
  btn.addEventListener('click', () => {
    const svg = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 1000, height: 560 });
    svg.setOption({ ...option, animation: false });
    download(`${name}.svg`, 'image/svg+xml', svg.renderToSVGString());
    svg.dispose();
  });
  const wrap = h('div', {}, h('div', { class: 'tools' }, btn), box);
  // Pages build their charts before attaching them; a chart is drawn once its box is in the
  // document (a detached box has no size, and the map's view transform would be undefined).
  const mount = () => {
    if (!box.isConnected) return false;
    echarts.init(box, null, { renderer: 'canvas' }).setOption(option);
    box.dataset.rendered = 'yes';
    return true;
  };
  pending.add(mount);
  requestAnimationFrame(mountPending);
  return wrap;
}

export function pct(x: number | null | undefined): string {
  if (x === null || x === undefined) return '–';
  const s = (x * 100).toFixed(1);
  return `${/^-0\.0$/.test(s) ? '0.0' : s} %`;
}

/** Where a figure came from: publication, edition, file and row (provenance carries no URL, so
 *  this is a citation, not a link), with the full path, field and printed text on hover. */
export function sourceCell(p: Provenance | undefined): Cell {
  if (!p) return '–';
  const file = p.file.split('/').pop() ?? p.file;
  const full = `${p.source} ${p.edition}, ${p.file} row ${p.row}, ${p.field}: printed "${p.original}"`
    + (p.flags.length ? ` [${p.flags.join(', ')}]` : '') + (p.note ? ` — ${p.note}` : '');
  return { text: `${p.source} ${p.edition}, ${file} row ${p.row}`, title: full };
}

/** A registry source (event or project) as a citation: publisher, title and date. The
 *  registries record no URL, so it is text, not a link. */
export function citation(c: Citation | undefined): string {
  return c ? `${c.publisher}, “${c.title}” (${c.date})` : '–';
}

/** The one data item a tooltip with trigger 'item' describes (ECharts types the parameter as one
 *  item or a list, the list being for trigger 'axis'). */
export function tooltipItem(x: TooltipComponentFormatterCallbackParams): DefaultLabelFormatterCallbackParams | undefined {
  return Array.isArray(x) ? x[0] : x;
}
