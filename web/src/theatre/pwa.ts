/// <reference types="vite-plugin-pwa/client" />
import { registerSW } from 'virtual:pwa-register';

/**
 * Registers the service worker (web/vite.config.ts, VitePWA): the app shell is precached so the
 * theatre screen opens with the network down. Registered only from the theatre screen, so the
 * rest of the app (and its browser tests) keeps plain network loading until a case goes to theatre.
 */
let registered = false;
export function registerServiceWorker(): void {
  if (registered || !('serviceWorker' in navigator)) return;
  registered = true;
  void registerSW({ immediate: true });
}
