/**
 * Internal records. They hold what the simulator needs to answer requests; the wire shapes
 * (with `self`, `html_url`, references) are produced from them per request by `render.ts`,
 * because `self` depends on the host the request came to.
 *
 * @internal
 */

export interface UserRec {
  id: string
  name: string
  email: string
  time_zone: string
  role: string
  color: string
  job_title: string
  description: string | null
  teamIds: Array<string>
}

export interface TeamRec {
  id: string
  name: string
  description: string | null
  parentId: string | null
}

export interface ServiceRec {
  id: string
  name: string
  description: string | null
  status: string
  escalationPolicyId: string
  teamIds: Array<string>
  created_at: number
  updated_at: number
}

export interface EscalationTarget {
  type: "user_reference" | "schedule_reference"
  id: string
}

export interface EscalationRuleRec {
  id: string
  escalation_delay_in_minutes: number
  targets: Array<EscalationTarget>
}

export interface EscalationPolicyRec {
  id: string
  name: string
  description: string | null
  num_loops: number
  rules: Array<EscalationRuleRec>
  teamIds: Array<string>
}

export interface RestrictionRec {
  type: "daily_restriction" | "weekly_restriction"
  /** `HH:MM:SS` in the schedule's time zone. */
  start_time_of_day: string
  duration_seconds: number
  /** ISO day of week, 1 = Monday; weekly restrictions only. */
  start_day_of_week: number | null
}

export interface LayerRec {
  id: string
  name: string
  start: number
  end: number | null
  rotation_virtual_start: number
  rotation_turn_length_seconds: number
  userIds: Array<string>
  restrictions: Array<RestrictionRec>
}

export interface OverrideRec {
  id: string
  start: number
  end: number
  userId: string
}

export interface ScheduleRec {
  id: string
  name: string
  description: string | null
  time_zone: string
  /** Highest priority first, as PagerDuty's API lists them. */
  layers: Array<LayerRec>
  overrides: Array<OverrideRec>
  teamIds: Array<string>
}

export type IncidentStatus = "triggered" | "acknowledged" | "resolved"

export interface IncidentRec {
  index: number
  id: string
  incident_number: number
  title: string
  description: string
  status: IncidentStatus
  urgency: "high" | "low"
  serviceId: string
  escalationPolicyId: string
  assigneeIds: Array<string>
  acknowledgerIds: Array<string>
  teamIds: Array<string>
  priorityId: string | null
  incident_key: string
  created_at: number
  updated_at: number
  last_status_change_at: number
  resolved_at: number | null
  /** Who triggered it: a user id, or null for an integration (Events API, seed data). */
  createdBy: string | null
  lastChangedBy: string | null
  alertCount: number
}

export type LogEntryType =
  | "trigger_log_entry"
  | "acknowledge_log_entry"
  | "resolve_log_entry"
  | "annotate_log_entry"

export interface LogEntryRec {
  id: string
  type: LogEntryType
  incidentId: string
  created_at: number
  /** A user id, or null when a service/integration did it. */
  userId: string | null
  serviceId: string
  summary: string
  channel: string
}

export interface NoteRec {
  id: string
  incidentId: string
  userId: string | null
  content: string
  created_at: number
}

export interface AlertRec {
  id: string
  incidentId: string
  alert_key: string
  status: "triggered" | "resolved"
  summary: string
  severity: string
  serviceId: string
  created_at: number
  details: Record<string, unknown>
}

export interface ChangeEventRec {
  id: string
  summary: string
  timestamp: number
  source: string | null
  serviceIds: Array<string>
  custom_details: Record<string, unknown>
  links: Array<unknown>
}

export interface TagRec {
  id: string
  label: string
}

export interface PriorityRec {
  id: string
  name: string
  description: string
  order: number
  color: string
}

export interface AuditRecordRec {
  id: string
  execution_time: number
  resourceType: string
  resourceId: string
  resourceSummary: string
  action: string
  actorUserId: string | null
}

export interface AlertGroupingSettingRec {
  id: string
  name: string
  description: string
  type: string
  config: Record<string, unknown>
  serviceIds: Array<string>
  created_at: number
  updated_at: number
}
