// Files to and from the node with the bearer token: report/export downloads as blobs, evidence uploads with progress.
import { HttpError, NetworkError, SessionExpired, asProblem, getSession, refreshSession } from './api'
import { downloadName } from './dossier'
import type { EvidenceMeta } from './types'

export interface Fetched {
  blob: Blob
  filename: string
}

async function problemOf(res: Response): Promise<HttpError> {
  let body: unknown = null
  try {
    body = await res.json()
  } catch {
    // not JSON: the status alone
  }
  return new HttpError(res.status, asProblem(body))
}

/** GET a file with the bearer token (one refresh on 401); the name comes from Content-Disposition. */
export async function fetchBlob(path: string, fallbackName: string): Promise<Fetched> {
  const session = await getSession()
  if (!session) throw new SessionExpired('not logged in')
  const get = async (token: string) => {
    try {
      return await fetch(path, { headers: { Authorization: `Bearer ${token}` }, cache: 'no-store' })
    } catch (e) {
      throw new NetworkError(String(e))
    }
  }
  let res = await get(session.access_token)
  if (res.status === 401) res = await get((await refreshSession()).access_token)
  if (!res.ok) throw await problemOf(res)
  let blob: Blob
  try {
    blob = await res.blob()
  } catch (e) {
    throw new NetworkError(String(e))
  }
  return { blob, filename: downloadName(res.headers.get('content-disposition'), fallbackName) }
}

/** Save a blob through a temporary download link. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob)
  const a = Object.assign(document.createElement('a'), { href: url, download: filename })
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}

const VIEWABLE = /^(application\/pdf|image\/(jpeg|png))$/

/** Show a PDF or picture in a new tab; other types (DOCX, XLSX), or a blocked tab, are saved instead. */
export function openBlob(blob: Blob, filename: string): void {
  if (VIEWABLE.test(blob.type)) {
    const url = URL.createObjectURL(blob)
    const tab = window.open(url, '_blank')
    setTimeout(() => URL.revokeObjectURL(url), 120_000)
    if (tab) {
      tab.opener = null
      return
    }
  }
  saveBlob(blob, filename)
}

export interface UploadTarget {
  unit: string
  year: number
  indicator: string
}

function xhrUpload(url: string, file: File, token: string, onProgress: (fraction: number) => void): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', url)
    xhr.setRequestHeader('Authorization', `Bearer ${token}`)
    xhr.setRequestHeader('Content-Type', 'application/octet-stream')
    xhr.setRequestHeader('Accept', 'application/json')
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total)
    xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText })
    xhr.onerror = () => reject(new NetworkError('upload failed'))
    xhr.onabort = () => reject(new NetworkError('upload aborted'))
    xhr.send(file)
  })
}

/** POST the raw file as evidence for one indicator; the node checks type and size and answers with its id. */
export async function uploadEvidence(target: UploadTarget, file: File, onProgress: (fraction: number) => void): Promise<EvidenceMeta> {
  const session = await getSession()
  if (!session) throw new SessionExpired('not logged in')
  const q = new URLSearchParams({ year: String(target.year), indicator: target.indicator, filename: file.name })
  const url = `/api/units/${encodeURIComponent(target.unit)}/evidence?${q}`
  let res = await xhrUpload(url, file, session.access_token, onProgress)
  if (res.status === 401) res = await xhrUpload(url, file, (await refreshSession()).access_token, onProgress)
  let body: unknown = null
  try {
    body = res.text ? JSON.parse(res.text) : null
  } catch {
    body = null
  }
  if (res.status !== 201 && res.status !== 200) throw new HttpError(res.status, asProblem(body))
  return body as EvidenceMeta
}

/** An uploaded file's size in words: "1,2 MB", "35 KB". */
export function formatSize(lang: 'vi' | 'en', bytes: number): string {
  const locale = lang === 'vi' ? 'vi-VN' : 'en-GB'
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toLocaleString(locale, { maximumFractionDigits: 1 })} MB`
  return `${Math.max(1, Math.round(bytes / 1024)).toLocaleString(locale)} KB`
}
