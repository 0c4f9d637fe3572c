/// <reference lib="webworker" />
// Service worker: precached app shell, SPA navigation fallback, Background Sync flush of our outbox.
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching'
import { NavigationRoute, registerRoute } from 'workbox-routing'
import { clientsClaim } from 'workbox-core'
import { flushOutbox } from './outbox'
import { SYNC_TAG } from './sync'

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<{ url: string; revision: string | null }> }

self.skipWaiting()
clientsClaim()
cleanupOutdatedCaches()
precacheAndRoute(self.__WB_MANIFEST)
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), { denylist: [/^\/api\//] }))

interface SyncEvent extends ExtendableEvent {
  tag: string
}

self.addEventListener('sync', (event) => {
  const e = event as SyncEvent
  if (e.tag !== SYNC_TAG) return
  e.waitUntil(
    flushOutbox({ force: true }).then((r) => {
      // Rejecting asks the browser to try this sync again later.
      if (r.stopped === 'offline') throw new Error('still offline')
    }),
  )
})
