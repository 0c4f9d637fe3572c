// Evidence files: an uploaded file shown by its name (opened through an authorised fetch), and the upload control.
import { useRef, useState } from 'preact/hooks'
import { NetworkError } from '../api'
import { fetchBlob, formatSize, openBlob, uploadEvidence, type UploadTarget } from '../files'
import { useLang } from '../i18n'
import type { EvidenceMeta } from '../types'
import { ErrorBox, useOnline } from './common'

export const isFileId = (item: string) => item.startsWith('ev-')

/** One evidence item: a paper document's number as text, an uploaded file as a button that opens it. */
export function EvidenceItem({ item, files }: { item: string; files: Map<string, EvidenceMeta> }) {
  const { t, lang } = useLang()
  const online = useOnline()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  if (!isFileId(item)) return <span>{item}</span>
  const meta = files.get(item)
  const name = meta?.filename ?? item
  const open = async () => {
    setError(null)
    if (!navigator.onLine) return setError(new Error(t('ev_offline')))
    setBusy(true)
    try {
      const got = await fetchBlob(`/api/evidence/${encodeURIComponent(item)}`, name)
      openBlob(got.blob, got.filename)
    } catch (e) {
      setError(e instanceof NetworkError ? new Error(t('ev_offline')) : e)
    } finally {
      setBusy(false)
    }
  }
  return (
    <span class="ev-file">
      <button type="button" class="link" disabled={busy || !online} aria-label={t('ev_open', { f: name })} onClick={open}>
        {busy ? t('ev_opening') : name}
      </button>
      {meta && <span class="muted small"> {formatSize(lang, meta.size)}</span>}
      {error ? <ErrorBox error={error} /> : null}
    </span>
  )
}

/** Pick a file and upload it at once; the node checks type and size and its refusal is shown as sent. */
export function EvidenceUpload({ id, target, onUploaded }: { id: string; target: UploadTarget; onUploaded: (meta: EvidenceMeta) => void }) {
  const { t } = useLang()
  const online = useOnline()
  const input = useRef<HTMLInputElement>(null)
  const [progress, setProgress] = useState<number | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [done, setDone] = useState('')
  const pick = async () => {
    const file = input.current?.files?.[0]
    if (!file) return
    setError(null)
    setDone('')
    if (!navigator.onLine) return setError(new Error(t('ev_offline')))
    setProgress(0)
    try {
      const meta = await uploadEvidence(target, file, setProgress)
      onUploaded(meta)
      setDone(t('ev_uploaded', { f: meta.filename }))
    } catch (e) {
      setError(e instanceof NetworkError ? new Error(t('ev_offline')) : e)
    } finally {
      setProgress(null)
      if (input.current) input.current.value = ''
    }
  }
  const busy = progress !== null
  return (
    <div class="upload">
      <p class="upload-h" id={`${id}-h`}>{t('ev_file')}</p>
      <input id={id} class="file-input" type="file" accept=".pdf,.jpg,.jpeg,.png,.docx,.xlsx,application/pdf,image/jpeg,image/png"
        disabled={busy || !online} aria-describedby={`${id}-h ${id}-st`} ref={input} onChange={pick} />
      <label for={id} class="file-btn"><span aria-hidden="true">⬆ </span>{t('ev_pick')}</label>
      {!online && <p class="msg warn">{t('ev_offline')}</p>}
      {busy && <progress max={1} value={progress} aria-label={t('ev_uploading', { p: Math.round(progress * 100) })} />}
      <p id={`${id}-st`} role="status" class="msg ok">{busy ? t('ev_uploading', { p: Math.round(progress * 100) }) : done}</p>
      {error ? <ErrorBox error={error} /> : null}
    </div>
  )
}
