// The framework drives the form; it is cached with its ETag so the form works offline.
import { authed, HttpError, NetworkError, asProblem } from './api'
import { getCached, putCached } from './db'
import type { Framework } from './types'

const URL_FRAMEWORK = '/api/framework'

/** The cached framework, revalidated with If-None-Match when the network allows. */
export async function loadFramework(): Promise<Framework | null> {
  const kept = await getCached<Framework>(URL_FRAMEWORK)
  try {
    const headers: Record<string, string> = kept?.etag ? { 'If-None-Match': kept.etag } : {}
    const res = await authed('GET', URL_FRAMEWORK, undefined, headers)
    if (res.status === 304 && kept) return kept.data
    if (res.status !== 200) throw new HttpError(res.status, asProblem(res.body))
    await putCached(URL_FRAMEWORK, res.body, res.etag ?? undefined)
    return res.body as Framework
  } catch (e) {
    if (kept && (e instanceof NetworkError || e instanceof HttpError)) return kept.data
    if (e instanceof NetworkError) return null
    throw e
  }
}
