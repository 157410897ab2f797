import { defineConfig } from 'vite';

// `npm run build` writes web/dist, which firebase.json `hosting.public` serves. Libraries go to
// their own chunks so a dashboard release leaves the browser's cached Firebase SDK, uPlot and
// model (with zod) untouched.
function vendorChunk(id: string): string | undefined {
  if (/node_modules\/(@firebase|firebase)\//.test(id)) return 'firebase';
  if (id.includes('node_modules/uplot/')) return 'uplot';
  if (id.includes('node_modules/zod/') || /\/model\/dist\//.test(id)) return 'model';
  return undefined;
}

export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    rollupOptions: { output: { manualChunks: vendorChunk } },
  },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
