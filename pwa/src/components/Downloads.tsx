// Report and export downloads: fetched with the bearer token as a blob, then saved through a download link.
import { useState } from 'preact/hooks'
import { NetworkError } from '../api'
import { fetchBlob, saveBlob } from '../files'
import { useLang } from '../i18n'
import { ErrorBox, useOnline } from './common'

export interface DownloadItem {
  label: string
  path: string
  /** The name used when the node sends none. */
  fallback: string
}

export function Downloads({ items, title }: { items: DownloadItem[]; title?: string }) {
  const { t } = useLang()
  const online = useOnline()
  const [busy, setBusy] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  const get = async (item: DownloadItem) => {
    setError(null)
    setBusy(item.path)
    try {
      const got = await fetchBlob(item.path, item.fallback)
      saveBlob(got.blob, got.filename)
    } catch (e) {
      setError(e instanceof NetworkError ? new Error(t('download_offline')) : e)
    } finally {
      setBusy(null)
    }
  }
  return (
    <div class="downloads" role="group" aria-label={title ?? t('reports')}>
      {title && <h2 class="sub-h">{title}</h2>}
      <div class="actions">
        {items.map((item) => (
          <button key={item.path} type="button" class="secondary" disabled={busy !== null || !online} onClick={() => get(item)}>
            <span aria-hidden="true">⬇ </span>{busy === item.path ? t('downloading') : item.label}
          </button>
        ))}
      </div>
      {!online && <p class="msg warn">{t('download_offline')}</p>}
      {error ? <ErrorBox error={error} /> : null}
    </div>
  )
}
