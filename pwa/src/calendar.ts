// The reporting year in force, read from the framework calendar (deadlines as data).
import type { Framework } from './types'

type Deadline = { month: number; day: number; year_offset?: number }

/** The last moment (local end of day) of the assessment year's reporting cycle, or null without steps. */
function cycleEnd(deadlines: Deadline[], year: number): Date | null {
  if (!deadlines.length) return null
  const ends = deadlines.map((d) => new Date(year + (d.year_offset ?? 0), d.month - 1, d.day, 23, 59, 59, 999).getTime())
  return new Date(Math.max(...ends))
}

/**
 * The assessment year still being reported: last year until the last deadline of its cycle has passed
 * (dossiers and recognitions run into the following spring), then this year.
 */
export function reportingYearInForce(calendar: Framework['calendar'] | undefined, now = new Date()): number {
  const deadlines = (calendar?.steps ?? []).map((s) => s.deadline as Deadline)
  const previous = now.getFullYear() - 1
  const end = cycleEnd(deadlines, previous)
  return end && now.getTime() <= end.getTime() ? previous : now.getFullYear()
}

/** Years offered in a year picker: the year in force first, then the two before it, and any year asked for. */
export function yearChoices(inForce: number, chosen?: number): number[] {
  const years = [inForce, inForce - 1, inForce - 2]
  if (inForce < new Date().getFullYear()) years.unshift(inForce + 1)
  return chosen !== undefined && !years.includes(chosen) ? [chosen, ...years].sort((a, b) => b - a) : years
}
