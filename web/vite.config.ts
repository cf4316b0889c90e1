import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { fileURLToPath } from 'node:url';

// The web app imports the clinical engine from ../src/engine directly: one
// implementation for the CLI, the server and the browser.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [
    react(),
    // The installable app for theatre (issue 15): Workbox precaches the app shell only. No runtime
    // caching at all — API answers (patient data) never enter the service worker's caches; the one
    // case open in theatre is kept by the app itself (web/src/theatre/offline-store.ts) and cleared
    // at sign-out. The worker is registered from the theatre screen (web/src/theatre/pwa.ts), and
    // answers navigations with the precached index.html only for "/" (hash routes), never /api,
    // /fhir, /cds-services or /docs.
    VitePWA({
      strategies: 'generateSW',
      injectRegister: false,
      registerType: 'autoUpdate',
      manifest: {
        name: 'Retroplan',
        short_name: 'Retroplan',
        description: 'Retroperitoneal sarcoma decision support — in theatre',
        start_url: '/#/cases',
        scope: '/',
        display: 'standalone',
        background_color: '#f5f6f8',
        theme_color: '#1f4e79',
        icons: [{ src: '/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,webmanifest}'],
        navigateFallback: '/index.html',
        navigateFallbackAllowlist: [/^\/$/, /^\/index\.html$/],
        navigateFallbackDenylist: [/^\/api/, /^\/fhir/, /^\/cds-services/, /^\/docs/],
        runtimeCaching: [],
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
      },
    }),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    rollupOptions: {
      // zod ships comments Rollup cannot place; they are harmless and only noise.
      onwarn(warning, warn) {
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('node_modules')) return;
        warn(warning);
      },
    },
  },
  server: {
    // During `vite dev`, API calls go to a Retroplan server started separately.
    proxy: { '/api': 'http://localhost:8080' },
  },
});
