// Every user: change one's own password (the node ends the sessions on one's other devices).
import { useState } from 'preact/hooks'
import { HttpError, NetworkError } from '../api'
import { useLang } from '../i18n'
import { changePassword } from '../onboard-api'
import { useOnboardText } from '../onboard-i18n'

export function PasswordScreen() {
  const o = useOnboardText()
  const { lang } = useLang()
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [repeat, setRepeat] = useState('')
  const [message, setMessage] = useState<{ ok: boolean; lines: string[] } | null>(null)
  const submit = async (e: Event) => {
    e.preventDefault()
    if (next !== repeat) return setMessage({ ok: false, lines: [o('passwords_differ')] })
    try {
      await changePassword(current, next)
      setMessage({ ok: true, lines: [o('password_changed')] })
      setCurrent('')
      setNext('')
      setRepeat('')
    } catch (err) {
      const p = err instanceof HttpError ? err.problem : null
      const reasons = (p?.errors ?? []).map((x) => (lang === 'vi' ? x.message_vi : x.message_en))
      const main = p ? (lang === 'vi' ? p.message_vi : p.message_en) ?? p.title : err instanceof NetworkError ? o('need_network') : String(err)
      setMessage({ ok: false, lines: reasons.length ? reasons : [main] })
    }
  }
  const input = (id: string, value: string, set: (v: string) => void, auto: string) => (
    <input id={id} type="password" autocomplete={auto} required value={value} onInput={(e) => set((e.target as HTMLInputElement).value)} />
  )
  return (
    <form class="login card" onSubmit={submit}>
      <h1>{o('change_password')}</h1>
      <label for="current-password">{o('current_password')}</label>
      {input('current-password', current, setCurrent, 'current-password')}
      <label for="new-password">{o('new_password')}</label>
      {input('new-password', next, setNext, 'new-password')}
      <label for="repeat-password">{o('repeat_password')}</label>
      {input('repeat-password', repeat, setRepeat, 'new-password')}
      <p class="help small">{o('password_rules')}</p>
      {message && <div class={message.ok ? 'msg' : 'msg error'} role={message.ok ? 'status' : 'alert'}>{message.lines.map((m) => <p key={m}>{m}</p>)}</div>}
      <button type="submit" class="primary">{o('change_password')}</button>
    </form>
  )
}
