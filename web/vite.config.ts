import { defineConfig } from 'vite';

// Everything the dashboard needs is bundled into dist/ and embedded in the binary: no CDN.
export default defineConfig({
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
