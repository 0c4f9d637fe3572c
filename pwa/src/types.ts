// Wire types come from the JSON Schema generated from the Python Structs; local shapes live here.
import type { Criterion, Problem, TallyReceipt, TallySubmission, UserInfo } from './generated/wire'

export type {
  AssessmentEntry,
  AssessmentEntryIn,
  AssessmentView,
  CheckResult,
  Dossier,
  DossierEvent,
  EvidenceMeta,
  FederationRow,
  TimelinessItem,
  Criterion,
  IndicatorResult,
  UnitEvaluation,
  Framework,
  Problem,
  FieldError,
  Tally,
  TallyField,
  TallyReceipt,
  TallySpec,
  TallySubmission,
  TokenPair,
  Unit,
  UnitStatus,
  UserInfo,
  Text,
} from './generated/wire'

/** One indicator as the framework defines it (any of the five kinds). */
export type IndicatorDef = Criterion['indicators'][number]

/** What a draft keeps: the raw text typed into each input, so half-typed values survive. */
export interface Draft {
  key: string
  village: string
  year: number
  values: Record<string, string>
  updated_at: number
}

export type OutboxState = 'pending' | 'sent' | 'rejected'

/** One submission waiting for, or already given, the server's answer. */
export interface OutboxItem extends TallySubmission {
  client_uuid: string
  values: Record<string, number>
  /** Username that queued it; only that user's login sends it (absent on items from older versions). */
  owner?: string
  state: OutboxState
  created_at: number
  attempts: number
  next_try_at: number
  last_error?: string
  receipt?: TallyReceipt
  problem?: Problem
  answered_at?: number
}

export interface Session {
  access_token: string
  refresh_token: string
  user: UserInfo
}
