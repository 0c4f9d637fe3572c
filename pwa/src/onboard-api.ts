// Calls behind the onboarding screens: users, activation, password, CSV previews, targets, recognitions.
import { HttpError, SessionExpired, asProblem, authed, deviceId, getJSON, getSession, jsonInit, postJSON, putJSON, rawFetch, refreshSession, type RawResponse } from './api'
import { kvSet } from './db'
import type { Session, TokenPair } from './types'
import type {
  ActivationIssued,
  ImportReport,
  Recognition,
  RecognitionIn,
  RoadmapProblemView,
  TargetView,
  TargetsPreview,
  UserHistoryEntry,
  UserView,
} from './generated/wire'

export type { ActivationIssued, ImportReport, Recognition, RoadmapProblemView, TargetsPreview, UserHistoryEntry, UserView }

/** Roles that may manage users, set targets, recognise (mirrors shared_schema/roles.yaml). */
export const USER_MANAGERS = ['admin', 'ministry_officer', 'province_officer', 'district_officer', 'commune_officer']
export const PLANNERS = ['admin', 'ministry_officer', 'province_officer', 'district_officer']
export const RECOGNISERS = ['admin', 'ministry_officer', 'province_officer', 'district_officer']
/** What each managing role may grant (roles.yaml `grant_roles`). */
export const GRANTS: Record<string, string[]> = {
  admin: ['admin', 'ministry_officer', 'province_officer', 'district_officer', 'commune_officer', 'village_head', 'viewer'],
  ministry_officer: ['province_officer', 'district_officer', 'commune_officer', 'village_head', 'viewer'],
  province_officer: ['district_officer', 'commune_officer', 'village_head', 'viewer'],
  district_officer: ['commune_officer', 'village_head', 'viewer'],
  commune_officer: ['village_head'],
}

const q = encodeURIComponent

function ok<T>(res: RawResponse): T {
  if (res.status < 200 || res.status > 299) throw new HttpError(res.status, asProblem(res.body))
  return res.body as T
}

/** POST a CSV file with the bearer token (one refresh on 401). */
async function postCsv<T>(path: string, text: string): Promise<T> {
  const session = await getSession()
  if (!session) throw new SessionExpired('not logged in')
  const init = (token: string): RequestInit => ({
    method: 'POST',
    headers: { 'Content-Type': 'text/csv; charset=utf-8', Accept: 'application/json', Authorization: `Bearer ${token}` },
    body: text,
  })
  let res = await rawFetch(path, init(session.access_token))
  if (res.status === 401) res = await rawFetch(path, init((await refreshSession()).access_token))
  return ok<T>(res)
}


export const listUsers = (unit: string) => getJSON<UserView[]>(`/api/users?unit=${q(unit)}`)
export const createUser = (body: { username: string; full_name: string; role: string; unit: string; phone?: string }) =>
  postJSON<ActivationIssued>('/api/users', body)
export const patchUser = (username: string, body: Partial<Pick<UserView, 'full_name' | 'phone' | 'role' | 'unit'>>) =>
  authed('PATCH', `/api/users/${q(username)}`, body).then((res) => ok<UserView>(res))
export const setActive = (username: string, active: boolean) =>
  postJSON<UserView>(`/api/users/${q(username)}/${active ? 'reactivate' : 'deactivate'}`, {})
export const resetUser = (username: string) => postJSON<ActivationIssued>(`/api/users/${q(username)}/reset`, {})
export const userHistory = (username: string) => getJSON<UserHistoryEntry[]>(`/api/users/${q(username)}/history`)
export const importUsers = (text: string, mode: 'preview' | 'all' | 'valid') =>
  postCsv<ImportReport>(`/api/users/import${mode === 'preview' ? '?dry_run=true' : mode === 'valid' ? '?valid_only=true' : ''}`, text)
export const sheetPath = (unit: string) => `/api/users/activation-sheet?unit=${q(unit)}`

export const previewTargets = (text: string) => postCsv<TargetsPreview>('/api/targets/preview', text)
export const importTargets = (text: string) => postCsv<{ imported: number }>('/api/targets/import', text)
export const roadmapCheck = (unit: string) => getJSON<RoadmapProblemView[]>(`/api/targets/roadmap-check?unit=${q(unit)}`)
export const listTargets = (unit: string) => getJSON<TargetView[]>(`/api/targets?unit=${q(unit)}`)
export const putTarget = (unit: string, year: number, target_level: number | null, rates: Record<string, number>) =>
  putJSON<TargetView>(`/api/units/${q(unit)}/targets/${year}`, { target_level, rates })

export const listRecognitions = (unit: string) => getJSON<Recognition[]>(`/api/recognitions?unit=${q(unit)}`)
export const recordRecognition = (unit: string, body: RecognitionIn) => postJSON<Recognition>(`/api/units/${q(unit)}/recognitions`, body)

export async function changePassword(current: string, next: string): Promise<void> {
  await postJSON<null>('/api/auth/password', { current, new: next })
}

/** Set one's password with an activation code; the answer logs the user in like a login. */
export async function activate(code: string, password: string): Promise<Session> {
  const body = { code, password, device_id: await deviceId() }
  const pair = ok<TokenPair>(await rawFetch('/api/auth/activate', jsonInit('POST', body)))
  const session: Session = { access_token: pair.access_token, refresh_token: pair.refresh_token, user: pair.user }
  await kvSet('session', session)
  return session
}

/** The digits of a code however it was typed (spaces, dashes). */
export const codeDigits = (typed: string): string => typed.replace(/\D/g, '')
