// When the outbox is flushed: at start, when back online, when the page is shown, every 30 s,
// and by Background Sync (the service worker) where the browser has it.
import { flushOutbox, type FlushResult } from './outbox'

export const SYNC_TAG = 'xhht-outbox'
const PERIOD_MS = 30_000

export function startSync(onResult: (r: FlushResult) => void): () => void {
  const run = (force: boolean) => {
    flushOutbox({ force }).then(onResult, (e) => console.warn('flush failed', e))
  }
  const onOnline = () => run(true)
  const onVisible = () => document.visibilityState === 'visible' && run(true)
  run(true)
  addEventListener('online', onOnline)
  document.addEventListener('visibilitychange', onVisible)
  const timer = setInterval(() => run(false), PERIOD_MS)
  return () => {
    removeEventListener('online', onOnline)
    document.removeEventListener('visibilitychange', onVisible)
    clearInterval(timer)
  }
}

interface SyncRegistration extends ServiceWorkerRegistration {
  sync?: { register(tag: string): Promise<void> }
}

/** Ask the browser to wake the service worker for a flush once it is online, even if the tab closes. */
export async function requestBackgroundSync(): Promise<void> {
  try {
    const reg = (await navigator.serviceWorker?.getRegistration()) as SyncRegistration | undefined
    await reg?.sync?.register(SYNC_TAG)
  } catch {
    // Not supported or not permitted: the page's own triggers still flush.
  }
}
