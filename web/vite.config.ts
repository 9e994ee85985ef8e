import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The console is served by the Bursar server under /console/ (its API lives at /console/api/…).
export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 4000, sourcemap: false },
  server: { proxy: { '/console/api': process.env.BURSAR_URL ?? 'http://127.0.0.1:4566' } },
});
