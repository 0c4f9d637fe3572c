// First login of a new or reset user: the code from the printed card (or the QR link) and a password of their own.
import { useState } from 'preact/hooks'
import { HttpError, NetworkError } from '../api'
import { useLang } from '../i18n'
import { activate, codeDigits } from '../onboard-api'
import { useOnboardText } from '../onboard-i18n'
import type { Session } from '../types'

export function ActivateScreen({ code: given, onLogin }: { code?: string; onLogin: (s: Session) => void }) {
  const o = useOnboardText()
  const { lang } = useLang()
  const [code, setCode] = useState(codeDigits(given ?? ''))
  const [password, setPassword] = useState('')
  const [repeat, setRepeat] = useState('')
  const [error, setError] = useState<string[] | null>(null)
  const [busy, setBusy] = useState(false)
  const submit = async (e: Event) => {
    e.preventDefault()
    if (password !== repeat) return setError([o('passwords_differ')])
    setBusy(true)
    setError(null)
    try {
      onLogin(await activate(code, password))
    } catch (err) {
      const p = err instanceof HttpError ? err.problem : null
      const reasons = (p?.errors ?? []).map((x) => (lang === 'vi' ? x.message_vi : x.message_en))
      const main = p ? (lang === 'vi' ? p.message_vi : p.message_en) ?? p.title : err instanceof NetworkError ? o('need_network') : String(err)
      setError(reasons.length ? reasons : [main])
    } finally {
      setBusy(false)
    }
  }
  return (
    <form class="login card" onSubmit={submit}>
      <h1>{o('activate_title')}</h1>
      <p class="help">{o('activate_help')}</p>
      <label for="activation-code">{o('code')}</label>
      <input id="activation-code" inputMode="numeric" autocomplete="one-time-code" required value={code}
        onInput={(e) => setCode((e.target as HTMLInputElement).value)} />
      <label for="new-password">{o('new_password')}</label>
      <input id="new-password" type="password" autocomplete="new-password" required value={password}
        onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
      <label for="repeat-password">{o('repeat_password')}</label>
      <input id="repeat-password" type="password" autocomplete="new-password" required value={repeat}
        onInput={(e) => setRepeat((e.target as HTMLInputElement).value)} />
      <p class="help small">{o('password_rules')}</p>
      {error && <div class="msg error" role="alert">{error.map((m) => <p key={m}>{m}</p>)}</div>}
      <button type="submit" class="primary" disabled={busy}>{o('activate')}</button>
      <p><a href="#">{o('back_to_login')}</a></p>
    </form>
  )
}
