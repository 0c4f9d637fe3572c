// Officials: the users of their subtree (create, edit, deactivate, reset), CSV import with a per-row preview, the sheet.
import '../onboard.css'
import { useState } from 'preact/hooks'
import { fetchBlob, saveBlob } from '../files'
import { formatTime, useLang } from '../i18n'
import { GRANTS, createUser, listUsers, patchUser, resetUser, setActive, sheetPath, userHistory, type ActivationIssued, type UserHistoryEntry, type UserView } from '../onboard-api'
import { useOnboardText, type OnboardKey } from '../onboard-i18n'
import type { UserInfo } from '../types'
import { ErrorBox, useAsync } from '../components/common'
import { UserImport } from '../components/UserImport'

const day = (iso: string, lang: string) => new Date(iso).toLocaleDateString(lang === 'vi' ? 'vi-VN' : 'en-GB')
const grouped = (code: string) => `${code.slice(0, 3)} ${code.slice(3, 6)} ${code.slice(6)}`

export function UsersScreen({ user }: { user: UserInfo }) {
  const o = useOnboardText()
  const { lang } = useLang()
  const [unit, setUnit] = useState(user.unit)
  const [typed, setTyped] = useState(user.unit)
  const [issued, setIssued] = useState<ActivationIssued | null>(null)
  const [actionError, setActionError] = useState<unknown>(null)
  const users = useAsync(() => listUsers(unit), [unit])
  const act = async (work: () => Promise<unknown>) => {
    setActionError(null)
    try {
      await work()
      users.reload()
    } catch (e) {
      setActionError(e)
    }
  }
  const onIssued = (i: ActivationIssued) => {
    setIssued(i)
    users.reload()
  }
  const download = () => act(async () => {
    const file = await fetchBlob(sheetPath(unit), `kich-hoat-${unit}.pdf`)
    saveBlob(file.blob, file.filename)
  })
  return (
    <section class="users">
      <h1>{o('users_title', { u: unit === user.unit ? user.unit_name : unit })}</h1>
      <form class="inline" onSubmit={(e) => { e.preventDefault(); setUnit(typed.trim() || user.unit) }}>
        <label for="users-unit">{o('unit_code')}</label>{' '}
        <input id="users-unit" value={typed} size={10} onInput={(e) => setTyped((e.target as HTMLInputElement).value)} />{' '}
        <button type="submit" class="secondary">{o('show')}</button>
      </form>
      <p><button type="button" class="secondary" onClick={download}>{o('sheet')}</button></p>
      {issued && (
        <p class="note" role="status" data-testid="issued-code">
          {o('code_for', { u: issued.username, c: grouped(issued.code), d: day(issued.expires_at, lang) })}
        </p>
      )}
      {actionError ? <ErrorBox error={actionError} /> : null}
      {users.error ? <ErrorBox error={users.error} onRetry={users.reload} /> : null}
      {users.data && <UserTable users={users.data} act={act} onIssued={onIssued} />}
      <NewUser user={user} unit={unit} onIssued={onIssued} />
      <UserImport onDone={users.reload} />
    </section>
  )
}

function UserTable({ users, act, onIssued }: { users: UserView[]; act: (w: () => Promise<unknown>) => void; onIssued: (i: ActivationIssued) => void }) {
  const o = useOnboardText()
  const { lang } = useLang()
  const [open, setOpen] = useState<string | null>(null)
  return (
    <div class="table-wrap">
      <table class="users-table">
        <thead><tr><th>{o('col_user')}</th><th>{o('col_unit')}</th><th>{o('col_state')}</th><th /></tr></thead>
        <tbody>
          {users.map((u) => (
            <>
              <tr key={u.username} data-username={u.username}>
                <td><strong>{u.full_name || u.username}</strong><br /><span class="muted small">{u.username} · {o(`role_${u.role}` as OnboardKey)}</span></td>
                <td>{u.unit_name}<br /><span class="muted small">{u.unit}</span></td>
                <td class="small">
                  {!u.active ? o('inactive') : u.activation_pending && u.activation_expires_at ? o('awaiting', { d: day(u.activation_expires_at, lang) }) : u.has_password ? o('active') : o('no_password')}
                </td>
                <td class="actions">
                  <button type="button" class="link" onClick={() => setOpen(open === u.username ? null : u.username)}>{o('edit')}</button>
                  {u.active && <button type="button" class="link" onClick={() => confirm(o('confirm_reset', { u: u.username })) && act(async () => onIssued(await resetUser(u.username)))}>{o('reset')}</button>}
                  {u.active
                    ? <button type="button" class="link" onClick={() => confirm(o('confirm_deactivate', { u: u.username })) && act(() => setActive(u.username, false))}>{o('deactivate')}</button>
                    : <button type="button" class="link" onClick={() => act(() => setActive(u.username, true))}>{o('reactivate')}</button>}
                </td>
              </tr>
              {open === u.username && (
                <tr key={`${u.username}-edit`}><td colSpan={4}><EditUser u={u} act={act} onClose={() => setOpen(null)} /></td></tr>
              )}
            </>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function EditUser({ u, act, onClose }: { u: UserView; act: (w: () => Promise<unknown>) => void; onClose: () => void }) {
  const o = useOnboardText()
  const { lang } = useLang()
  const [name, setName] = useState(u.full_name)
  const [phone, setPhone] = useState(u.phone ?? '')
  const [unit, setUnit] = useState(u.unit)
  const [history, setHistory] = useState<UserHistoryEntry[] | null>(null)
  const save = (e: Event) => {
    e.preventDefault()
    act(async () => {
      await patchUser(u.username, { full_name: name, phone, ...(unit !== u.unit ? { unit } : {}) })
      onClose()
    })
  }
  return (
    <form class="card" onSubmit={save}>
      <label>{o('full_name')}<input value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} /></label>
      <label>{o('phone')}<input value={phone} inputMode="tel" onInput={(e) => setPhone((e.target as HTMLInputElement).value)} /></label>
      <label>{o('unit_code')}<input value={unit} onInput={(e) => setUnit((e.target as HTMLInputElement).value)} /></label>
      <p class="actions">
        <button type="submit" class="primary">{o('save')}</button>{' '}
        <button type="button" class="secondary" onClick={onClose}>{o('cancel')}</button>{' '}
        <button type="button" class="link" onClick={() => act(async () => setHistory(await userHistory(u.username)))}>{o('history')}</button>
      </p>
      {history && (
        <ul class="history small">
          {history.map((h, i) => <li key={i}>{formatTime(lang, h.at)} · {h.actor} · {h.action}</li>)}
        </ul>
      )}
    </form>
  )
}

function NewUser({ user, unit, onIssued }: { user: UserInfo; unit: string; onIssued: (i: ActivationIssued) => void }) {
  const o = useOnboardText()
  const roles = GRANTS[user.role] ?? []
  const [form, setForm] = useState({ username: '', full_name: '', role: roles.includes('village_head') ? 'village_head' : roles[0] ?? '', unit, phone: '' })
  const [error, setError] = useState<unknown>(null)
  const field = (key: keyof typeof form) => (e: Event) => setForm({ ...form, [key]: (e.target as HTMLInputElement).value })
  const submit = async (e: Event) => {
    e.preventDefault()
    setError(null)
    try {
      onIssued(await createUser({ ...form, phone: form.phone || undefined }))
      setForm({ ...form, username: '', full_name: '', phone: '' })
    } catch (err) {
      setError(err)
    }
  }
  return (
    <details class="card">
      <summary>{o('new_user')}</summary>
      <form onSubmit={submit}>
        <label>{o('username')}<input required autocapitalize="none" value={form.username} onInput={field('username')} /></label>
        <label>{o('full_name')}<input required value={form.full_name} onInput={field('full_name')} /></label>
        <label>{o('role')}
          <select value={form.role} onChange={field('role')}>
            {roles.map((r) => <option key={r} value={r}>{o(`role_${r}` as OnboardKey)}</option>)}
          </select>
        </label>
        <label>{o('unit_code')}<input required value={form.unit} onInput={field('unit')} /></label>
        <label>{o('phone')}<input inputMode="tel" value={form.phone} onInput={field('phone')} /></label>
        {error ? <ErrorBox error={error} /> : null}
        <button type="submit" class="primary">{o('create')}</button>
      </form>
    </details>
  )
}
