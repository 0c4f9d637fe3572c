// A small horizontal bar chart in plain SVG: how many units stand at each level.
import { useLang } from '../i18n'

export interface Bar {
  label: string
  value: number
}

export function BarChart({ bars, title }: { bars: Bar[]; title: string }) {
  const { lang } = useLang()
  const max = Math.max(1, ...bars.map((b) => b.value))
  const rowH = 32
  const labelW = 96
  const width = 320
  const barMax = width - labelW - 40
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${bars.length * rowH}`} width="100%" role="img"
        aria-label={`${title}: ${bars.map((b) => `${b.label} ${b.value}`).join('; ')}`}>
        {bars.map((b, i) => {
          const w = Math.round((b.value / max) * barMax)
          const y = i * rowH
          return (
            <g key={b.label}>
              <text x={0} y={y + 21} font-size="14" fill="#1b1b1b">{b.label}</text>
              <rect x={labelW} y={y + 6} width={Math.max(w, 2)} height={20} fill="#0b5cad" rx={3} />
              <text x={labelW + w + 6} y={y + 21} font-size="14" fill="#1b1b1b">{b.value.toLocaleString(lang)}</text>
            </g>
          )
        })}
      </svg>
    </figure>
  )
}
