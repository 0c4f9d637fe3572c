// The shell: session, language, hash routes per role, the sync scheduler and the offline banner.
import { useEffect, useState } from 'preact/hooks'
import { getSession, revokeRemote, SESSION_EXPIRED_EVENT } from './api'
import { clearCache, clearUserData, kvGet, kvSet } from './db'
import { LangContext, translate, type Lang } from './i18n'
import { listOutbox, onOutboxChange, othersPending } from './outbox'
import { startSync } from './sync'
import type { Session, Unit } from './types'
import { useOnline } from './components/common'
import { LoginScreen } from './screens/Login'
import { TallyScreen } from './screens/Tally'
import { OutboxScreen } from './screens/Outbox'
import { CommuneScreen } from './screens/Commune'
import { OverviewScreen } from './screens/Overview'
import { AssessmentScreen } from './screens/Assessment'
import { ActivateScreen } from './screens/Activate'
import { PasswordScreen } from './screens/Password'
import { TargetsScreen } from './screens/Targets'
import { UsersScreen } from './screens/Users'
import { RecognitionsPanel } from './components/Recognitions'
import { PLANNERS, USER_MANAGERS } from './onboard-api'
import { useOnboardText } from './onboard-i18n'

const useHash = (): [string, (h: string) => void] => {
  const [hash, setHash] = useState(location.hash.slice(1))
  useEffect(() => {
    const on = () => setHash(location.hash.slice(1))
    addEventListener('hashchange', on)
    return () => removeEventListener('hashchange', on)
  }, [])
  return [hash, (h) => (location.hash = h)]
}

/** Where each role starts. */
function home(s: Session): string {
  const u = s.user
  if (u.role === 'village_head' || u.unit_level === 'village') return '/tally'
  if (u.unit_level === 'commune') return `/commune/${u.unit}`
  return `/unit/${u.unit}`
}

export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined)
  const [lang, setLang] = useState<Lang>('vi')
  const [expired, setExpired] = useState(false)
  const [hash, go] = useHash()
  const online = useOnline()
  const t = (k: Parameters<typeof translate>[1], v?: Record<string, string | number>) => translate(lang, k, v)

  useEffect(() => {
    void getSession().then((s) => setSession(s ?? null))
    void kvGet<Lang>('lang').then((l) => l && setLang(l))
  }, [])
  useEffect(() => {
    document.documentElement.lang = lang
  }, [lang])
  useEffect(() => {
    if (!session) return
    return startSync((r) => r.stopped === 'login' && setExpired(true))
  }, [session?.user.username])
  useEffect(() => {
    const onExpired = () => setExpired(true)
    addEventListener(SESSION_EXPIRED_EVENT, onExpired)
    return () => removeEventListener(SESSION_EXPIRED_EVENT, onExpired)
  }, [])
  const others = useOthersPending(session && !expired ? session.user.username : undefined)

  const switchLang = () => {
    const next = lang === 'vi' ? 'en' : 'vi'
    setLang(next)
    void kvSet('lang', next)
  }
  const onLogin = async (s: Session) => {
    // Another user on a shared phone: the previous user's cached server data goes, their unsent outbox stays.
    if (session && session.user.username !== s.user.username) await clearCache()
    setExpired(false)
    setSession(s)
    go(home(s))
  }
  const logout = async () => {
    if (!session) return
    const pending = (await listOutbox(session.user.username)).filter((i) => i.state === 'pending').length
    if (pending && !confirm(t('logout_pending', { n: pending }))) return
    await revokeRemote()
    await clearUserData(session.user.username, session.user.unit)
    setSession(null)
    go('')
  }

  if (session === undefined) return <p>{t('loading')}</p>
  const route = session && !expired ? (hash || home(session)) : ''
  const activating = hash.startsWith('/activate')
  return (
    <LangContext.Provider value={lang}>
      <header class="top">
        <span class="brand">{t('app_title')}</span>
        <button type="button" class="lang" lang={lang === 'vi' ? 'en' : 'vi'} onClick={switchLang}>{t('switch_lang')}</button>
      </header>
      {!online && <p class="offline" role="status">{t('offline')}</p>}
      {session && !expired && !activating && <Nav session={session} route={route} t={t} onLogout={logout} />}
      {Object.entries(others).map(([u, n]) => (
        <p key={u} class="note others-pending" role="status">{t('others_pending', { n, u })}</p>
      ))}
      <main id="main">
        {activating ? (
          <ActivateScreen code={hash.split('/')[2]} onLogin={onLogin} />
        ) : !session || expired ? (
          <>
            <LoginScreen onLogin={onLogin} username={session?.user.username} expired={expired} />
            <ActivateLink />
          </>
        ) : (
          <Routed route={route} session={session} go={go} />
        )}
      </main>
    </LangContext.Provider>
  )
}

/** Unsent items other users left on this device, kept up to date as outboxes change. */
function useOthersPending(username: string | undefined): Record<string, number> {
  const [counts, setCounts] = useState<Record<string, number>>({})
  useEffect(() => {
    const read = () => void othersPending(username).then(setCounts)
    read()
    return onOutboxChange(read)
  }, [username])
  return counts
}

function ActivateLink() {
  const o = useOnboardText()
  return <p class="center"><a href="#/activate">{o('activate_link')}</a></p>
}

/** Onboarding links for the roles allowed to use them (the password link sits beside "Log out"). */
function onboardLinks(session: Session, o: ReturnType<typeof useOnboardText>): [string, string][] {
  const role = session.user.role
  return [
    ...(USER_MANAGERS.includes(role) ? [['/users', o('nav_users')] as [string, string]] : []),
    ...(PLANNERS.includes(role) ? [['/targets', o('nav_targets')] as [string, string]] : []),
  ]
}

function Nav({ session, route, t, onLogout }: { session: Session; route: string; t: (k: 'nav_tally' | 'nav_outbox' | 'nav_overview' | 'nav_villages' | 'nav_assess' | 'logout') => string; onLogout: () => void }) {
  const u = session.user
  const o = useOnboardText()
  const links: [string, string][] = [
    ...(u.role === 'village_head' || u.unit_level === 'village'
      ? [['/tally', t('nav_tally')], ['/outbox', t('nav_outbox')]] as [string, string][]
      : [[home(session), u.unit_level === 'commune' ? t('nav_villages') : t('nav_overview')], [`/assess/${u.unit}`, t('nav_assess')]] as [string, string][]),
    ...onboardLinks(session, o),
  ]
  // The user's own account screens (changing the password) are listed here, beside "Log out".
  const account: [string, string][] = [['/password', o('nav_password')]]
  return (
    <nav class="nav">
      <div class="who">
        <span>{u.unit_name} · {u.username}</span>
        {account.map(([href, label]) => <a key={href} class="account" href={`#${href}`}>{label}</a>)}
        <button type="button" class="link" onClick={onLogout}>{t('logout')}</button>
      </div>
      <ul>
        {links.map(([href, label]) => (
          <li key={href}><a href={`#${href}`} aria-current={route.startsWith(href) ? 'page' : undefined}>{label}</a></li>
        ))}
      </ul>
    </nav>
  )
}

function Routed({ route, session, go }: { route: string; session: Session; go: (h: string) => void }) {
  const [, screen, code] = route.split('/')
  const u = session.user
  const open = (unit: Unit) => go(unit.level === 'commune' ? `/commune/${unit.code}` : `/unit/${unit.code}`)
  switch (screen) {
    case 'tally':
      return <TallyScreen key={code} village={u.unit} initialYear={Number(code) || undefined} onQueued={() => go('/outbox')} />
    case 'outbox':
      return <OutboxScreen names={{ [u.unit]: u.unit_name }} username={u.username} onCorrect={(year) => go(`/tally/${year}`)} />
    case 'commune':
      return (
        <>
          <CommuneScreen key={code} code={code} canReview={u.role === 'commune_officer' || u.role === 'admin'} />
          <RecognitionsPanel code={code} user={u} />
        </>
      )
    case 'assess':
      return <AssessmentScreen key={code} code={code} user={u} />
    case 'unit':
      return (
        <>
          <OverviewScreen key={code} code={code} user={u} onOpen={open} />
          <RecognitionsPanel code={code} user={u} />
        </>
      )
    case 'users':
      return <UsersScreen user={u} />
    case 'targets':
      return <TargetsScreen user={u} />
    case 'password':
      return <PasswordScreen />
    default:
      return home(session) === route ? null : <Routed route={home(session)} session={session} go={go} />
  }
}
