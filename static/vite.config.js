// Build the PWA into dist/: index.html, sw.js at the root (scope "/"), the manifest, icons,
// and hashed assets under dist/assets/. The service worker precaches the whole shell.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

export default defineConfig({
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    target: ['es2022', 'safari15'],
    sourcemap: false,
  },
  worker: { format: 'es' },
  // The survey engine's digest() is the only user of node-forge: left out (src/surveys/no-forge.js).
  resolve: { alias: { 'node-forge': fileURLToPath(new URL('./src/surveys/no-forge.js', import.meta.url)) } },
  plugins: [
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.js',
      injectRegister: false,
      registerType: 'prompt',
      manifestFilename: 'manifest.webmanifest',
      injectManifest: {
        // A classic script: every browser that has service workers can run it.
        rollupFormat: 'iife',
        globPatterns: ['index.html', 'boot.js', 'assets/**/*.{js,css}', 'icons/icon-192.png', 'manifest.webmanifest'],
        // Online-only pieces, fetched when their screen opens, not precached onto every phone:
        // Leaflet exists only in a build with a tile server (VITE_MAP_TILE_URL) and needs signal
        // for its tiles; the dashboard's chart library needs the server's figures.
        globIgnores: ['assets/leaflet-*', 'assets/dashboard-charts-*.js'],
        maximumFileSizeToCacheInBytes: 2 * 1024 * 1024,
      },
      includeAssets: ['icons/*.png'],
      manifest: {
        id: '/',
        name: 'งานภาคสนาม จังหวัดพิษณุโลก · Phitsanulok Field Work',
        short_name: 'งานภาคสนาม',
        description: 'บันทึกการลงพื้นที่ ตรวจ Clean & Tidy และปัญหาความเดือดร้อน แม้ไม่มีสัญญาณ · Record visits, Clean & Tidy inspections and citizen concerns offline.',
        lang: 'th',
        dir: 'ltr',
        start_url: '/app',
        scope: '/',
        display: 'standalone',
        orientation: 'portrait',
        theme_color: '#1b5e20',
        background_color: '#fafcfa',
        // Chromium reads localized names where it supports them; Thai stays the default.
        name_localized: { en: 'Phitsanulok Field Work', th: 'งานภาคสนาม จังหวัดพิษณุโลก' },
        short_name_localized: { en: 'Field Work', th: 'งานภาคสนาม' },
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
    }),
  ],
  test: {
    environment: 'node',
    include: ['test/**/*.test.js'],
  },
});
