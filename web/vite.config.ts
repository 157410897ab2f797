import { defineConfig } from 'vite';

// `npm run build` writes web/dist, which firebase.json `hosting.public` serves.
export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 800,
  },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
