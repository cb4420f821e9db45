// Why this file exists: the world map for choropleths — Natural Earth boundaries from world-atlas,
// keyed by ISO3 (through the API's ISO numeric codes) so series data can name countries by ISO3.

import * as echarts from 'echarts';
import { feature } from 'topojson-client';
import world from 'world-atlas/countries-110m.json';
import type { Geometry } from 'geojson';
import { api } from './api';

let ready: Promise<void> | null = null;
const centres = new Map<string, [number, number]>();

/** The centre of a country's largest polygon's bounding box (the contiguous US for USA), for
 *  drawing flows; undefined for countries the map lacks. */
export function centre(iso3: string): [number, number] | undefined {
  return centres.get(iso3);
}

/** The areas a choropleth draws (every country in world-atlas is one or the other). */
type Area = { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };

function largestBoxCentre(g: Area): [number, number] | undefined {
  const polys: number[][][][] = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  let best: [number, number] | undefined;
  let area = -1;
  for (const p of polys) {
    const xs = p[0].map(q => q[0]), ys = p[0].map(q => q[1]);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const a = (x1 - x0) * (y1 - y0);
    if (a > area) { area = a; best = [(x0 + x1) / 2, (y0 + y1) / 2]; }
  }
  return best;
}

/** A ring that crosses the date line (Russia's Chukotka, Fiji) jumps from +180° to −180° and
 *  would be drawn as a stripe across the whole map; its western points are moved past +180°. */
function unwrapRing(ring: number[][]): number[][] {
  const crosses = ring.some((p, i) => i > 0 && Math.abs(p[0] - ring[i - 1][0]) > 180);
  return crosses ? ring.map(([x, y]) => [x < 0 ? x + 360 : x, y]) : ring;
}

/** A country's area with date-line rings unwrapped; undefined for a geometry that is no area. */
function unwrap(g: Geometry | null): Area | undefined {
  if (g?.type === 'Polygon') return { type: 'Polygon', coordinates: g.coordinates.map(unwrapRing) };
  if (g?.type === 'MultiPolygon') return { type: 'MultiPolygon', coordinates: g.coordinates.map(p => p.map(unwrapRing)) };
  return undefined;
}

/** Registers the map "world" once. Antarctica is dropped (it only distorts an unprojected map)
 *  and date-line rings are unwrapped. */
export function worldMap(): Promise<void> {
  ready ??= (async () => {
    const countries = await api.countries();
    const byNumeric = new Map(countries.filter(c => c.numeric !== null).map(c => [Number(c.numeric), c.iso3]));
    const features = feature(world, world.objects.countries).features.flatMap(f => {
      const geometry = f.id === '010' ? undefined : unwrap(f.geometry);
      const name = byNumeric.get(Number(f.id)) ?? f.properties.name;
      return geometry ? [{ type: 'Feature' as const, id: f.id, geometry, properties: { name } }] : [];
    });
    for (const f of features) {
      const c = largestBoxCentre(f.geometry);
      if (c) centres.set(f.properties.name, c);
    }
    echarts.registerMap('world', { type: 'FeatureCollection', features });
  })();
  return ready;
}
