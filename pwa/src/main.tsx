// Entry: render the shell and register the service worker (production builds only).
import { render } from 'preact'
import { App } from './app'
import './style.css'

render(<App />, document.getElementById('app')!)

if ('serviceWorker' in navigator && import.meta.env.PROD) {
  addEventListener('load', () => {
    void navigator.serviceWorker.register('/sw.js', { scope: '/' })
  })
}
