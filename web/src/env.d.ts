declare module 'world-atlas/countries-110m.json';
