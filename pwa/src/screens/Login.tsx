// Log in once with the network; the session then lives in IndexedDB for days offline.
import { useState } from 'preact/hooks'
import { HttpError, NetworkError, login } from '../api'
import { useLang } from '../i18n'
import { formatDuration } from '../numbers'
import type { Session } from '../types'

export function LoginScreen({ onLogin, username: known, expired }: { onLogin: (s: Session) => void; username?: string; expired?: boolean }) {
  const { t, lang } = useLang()
  const [username, setUsername] = useState(known ?? '')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const submit = async (e: Event) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      onLogin(await login(username.trim(), password))
    } catch (err) {
      const p = err instanceof HttpError ? err.problem : null
      if (err instanceof HttpError && err.status === 429 && err.retryAfter !== null) {
        setError(t('login_locked', { d: formatDuration(lang, err.retryAfter) })) // the real wait, not "a few minutes"
      } else {
        setError(err instanceof NetworkError ? t('login_offline') : p ? (lang === 'vi' ? p.message_vi : p.message_en) || t('login_failed') : t('login_failed'))
      }
    } finally {
      setBusy(false)
    }
  }
  return (
    <form class="login card" onSubmit={submit}>
      <h1>{t('login')}</h1>
      {expired && <p class="note" role="status">{t('session_expired')}</p>}
      <label for="username">{t('username')}</label>
      <input id="username" name="username" autocomplete="username" autocapitalize="none" required value={username}
        onInput={(e) => setUsername((e.target as HTMLInputElement).value)} />
      <label for="password">{t('password')}</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required value={password}
        onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
      {error && <p class="msg error" role="alert">{error}</p>}
      <button type="submit" class="primary" disabled={busy}>{t('login')}</button>
    </form>
  )
}
