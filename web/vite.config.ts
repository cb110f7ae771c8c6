// Builds the console into web/dist, which `vigil serve` serves on the API's port.
// `npx vite --config web/vite.config.ts` runs a dev server that proxies the API to :8080.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
    rollupOptions: {
      output: {
        manualChunks(id) {
          if (id.includes('echarts-gl') || id.includes('claygl')) return 'globe';
          if (id.includes('echarts') || id.includes('zrender')) return 'charts';
          if (id.includes('cytoscape')) return 'graph';
          if (id.includes('world-atlas') || id.includes('topojson')) return 'map';
          return undefined;
        },
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080', '/healthz': 'http://127.0.0.1:8080' } },
});
