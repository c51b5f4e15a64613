/**
 * Wire shapes (REST.json `components.schemas`) from internal records. `self` is an absolute
 * URL on the host the request came to, so the same state renders correctly behind the
 * in-memory layer (`https://api.pagerduty.com`) and the local server (`http://127.0.0.1:port`).
 *
 * @internal
 */
import type {
  AlertGroupingSettingRec,
  AlertRec,
  AuditRecordRec,
  ChangeEventRec,
  EscalationPolicyRec,
  IncidentRec,
  LogEntryRec,
  NoteRec,
  OverrideRec,
  PriorityRec,
  ServiceRec,
  TagRec,
  TeamRec,
  UserRec
} from "./model.js"
import type { State } from "./state.js"
import { iso } from "./time.js"

export interface Ref {
  readonly id: string
  readonly type: string
  readonly summary: string
  readonly self: string
  readonly html_url: string | null
}

export class Renderer {
  readonly html: string

  constructor(readonly state: State, readonly base: string, subdomain: string) {
    this.html = `https://${subdomain}.pagerduty.com`
  }

  private ref(type: string, collection: string, htmlPath: string | null, id: string, summary: string): Ref {
    return {
      id,
      type,
      summary,
      self: `${this.base}/${collection}/${id}`,
      html_url: htmlPath === null ? null : `${this.html}/${htmlPath}/${id}`
    }
  }

  userRef(id: string): Ref {
    return this.ref("user_reference", "users", "users", id, this.state.users.get(id)?.name ?? "Deleted user")
  }

  teamRef(id: string): Ref {
    return this.ref("team_reference", "teams", "teams", id, this.state.teams.get(id)?.name ?? "Deleted team")
  }

  serviceRef(id: string): Ref {
    return this.ref("service_reference", "services", "service-directory", id, this.state.services.get(id)?.name ?? "Deleted service")
  }

  escalationPolicyRef(id: string): Ref {
    return this.ref("escalation_policy_reference", "escalation_policies", "escalation_policies", id, this.state.escalationPolicies.get(id)?.name ?? "Deleted policy")
  }

  scheduleRef(id: string): Ref {
    return this.ref("schedule_reference", "schedules", "schedules", id, this.state.schedules.get(id)?.name ?? "Deleted schedule")
  }

  priorityRef(id: string): Ref {
    return { ...this.ref("priority_reference", "priorities", null, id, this.state.priorities.get(id)?.name ?? "Deleted priority") }
  }

  incidentRef(rec: IncidentRec): Ref {
    return this.ref("incident_reference", "incidents", "incidents", rec.id, `[#${rec.incident_number}] ${rec.title}`)
  }

  user(u: UserRec): Record<string, unknown> {
    return {
      id: u.id,
      type: "user",
      summary: u.name,
      self: `${this.base}/users/${u.id}`,
      html_url: `${this.html}/users/${u.id}`,
      name: u.name,
      email: u.email,
      time_zone: u.time_zone,
      color: u.color,
      role: u.role,
      avatar_url: "https://secure.gravatar.com/avatar/00000000000000000000000000000000.png?d=mm&r=PG",
      description: u.description,
      invitation_sent: false,
      job_title: u.job_title,
      teams: u.teamIds.map((t) => this.teamRef(t)),
      contact_methods: [],
      notification_rules: []
    }
  }

  team(t: TeamRec): Record<string, unknown> {
    return {
      id: t.id,
      type: "team",
      summary: t.name,
      self: `${this.base}/teams/${t.id}`,
      html_url: `${this.html}/teams/${t.id}`,
      name: t.name,
      description: t.description,
      parent: t.parentId === null ? null : this.teamRef(t.parentId),
      default_role: "manager"
    }
  }

  service(s: ServiceRec): Record<string, unknown> {
    return {
      id: s.id,
      type: "service",
      summary: s.name,
      self: `${this.base}/services/${s.id}`,
      html_url: `${this.html}/service-directory/${s.id}`,
      name: s.name,
      description: s.description,
      auto_resolve_timeout: 14400,
      acknowledgement_timeout: 600,
      created_at: iso(s.created_at),
      updated_at: iso(s.updated_at),
      status: s.status,
      last_incident_timestamp: null,
      escalation_policy: this.escalationPolicyRef(s.escalationPolicyId),
      teams: s.teamIds.map((t) => this.teamRef(t)),
      integrations: [],
      incident_urgency_rule: { type: "constant", urgency: "high" },
      support_hours: null,
      scheduled_actions: [],
      alert_creation: "create_alerts_and_incidents",
      alert_grouping_parameters: { type: null }
    }
  }

  escalationPolicy(p: EscalationPolicyRec): Record<string, unknown> {
    return {
      id: p.id,
      type: "escalation_policy",
      summary: p.name,
      self: `${this.base}/escalation_policies/${p.id}`,
      html_url: `${this.html}/escalation_policies/${p.id}`,
      name: p.name,
      description: p.description,
      num_loops: p.num_loops,
      on_call_handoff_notifications: "if_has_services",
      escalation_rules: p.rules.map((r) => ({
        id: r.id,
        escalation_delay_in_minutes: r.escalation_delay_in_minutes,
        targets: r.targets.map((t) => t.type === "user_reference" ? this.userRef(t.id) : this.scheduleRef(t.id))
      })),
      services: [...this.state.services.values()].filter((s) => s.escalationPolicyId === p.id).map((s) => this.serviceRef(s.id)),
      teams: p.teamIds.map((t) => this.teamRef(t))
    }
  }

  incident(r: IncidentRec): Record<string, unknown> {
    const triggerEntryId = r.index < this.state.seededIncidents ? `R${(r.index * 4).toString(36).toUpperCase().padStart(6, "0")}` : null
    return {
      id: r.id,
      type: "incident",
      summary: `[#${r.incident_number}] ${r.title}`,
      self: `${this.base}/incidents/${r.id}`,
      html_url: `${this.html}/incidents/${r.id}`,
      incident_number: r.incident_number,
      title: r.title,
      description: r.description,
      created_at: iso(r.created_at),
      updated_at: iso(r.updated_at),
      status: r.status,
      incident_key: r.incident_key,
      service: this.serviceRef(r.serviceId),
      assignments: r.assigneeIds.map((u) => ({ at: iso(r.last_status_change_at), assignee: this.userRef(u) })),
      assigned_via: "escalation_policy",
      last_status_change_at: iso(r.last_status_change_at),
      last_status_change_by: r.lastChangedBy === null ? this.serviceRef(r.serviceId) : this.userRef(r.lastChangedBy),
      resolved_at: r.resolved_at === null ? null : iso(r.resolved_at),
      first_trigger_log_entry: triggerEntryId === null ? null : {
        id: triggerEntryId,
        type: "trigger_log_entry_reference",
        self: `${this.base}/log_entries/${triggerEntryId}`,
        html_url: `${this.html}/incidents/${r.id}/log_entries/${triggerEntryId}`
      },
      alert_counts: {
        all: r.alertCount,
        triggered: r.status === "resolved" ? 0 : r.alertCount,
        resolved: r.status === "resolved" ? r.alertCount : 0
      },
      is_mergeable: true,
      incident_type: { name: "incident_default" },
      escalation_policy: this.escalationPolicyRef(r.escalationPolicyId),
      teams: r.teamIds.map((t) => this.teamRef(t)),
      pending_actions: [],
      acknowledgements: r.acknowledgerIds.map((u) => ({ at: iso(r.last_status_change_at), acknowledger: this.userRef(u) })),
      alert_grouping: null,
      priority: r.priorityId === null ? null : this.priorityRef(r.priorityId),
      urgency: r.urgency,
      resolve_reason: null,
      conference_bridge: null,
      incidents_responders: [],
      responder_requests: []
    }
  }

  note(n: NoteRec): Record<string, unknown> {
    return {
      id: n.id,
      user: n.userId === null ? null : this.userRef(n.userId),
      channel: { summary: n.userId === null ? "The PagerDuty API" : "The PagerDuty website or APIs" },
      content: n.content,
      created_at: iso(n.created_at)
    }
  }

  logEntry(e: LogEntryRec): Record<string, unknown> {
    const incident = this.state.incidentById(e.incidentId)
    return {
      id: e.id,
      type: e.type,
      summary: e.summary,
      self: `${this.base}/log_entries/${e.id}`,
      html_url: `${this.html}/incidents/${e.incidentId}/log_entries/${e.id}`,
      created_at: iso(e.created_at),
      agent: e.userId === null ? this.serviceRef(e.serviceId) : this.userRef(e.userId),
      channel: { type: e.channel },
      service: this.serviceRef(e.serviceId),
      incident: incident === undefined ? null : this.incidentRef(incident),
      teams: (this.state.services.get(e.serviceId)?.teamIds ?? []).map((t) => this.teamRef(t)),
      contexts: [],
      event_details: { description: e.summary }
    }
  }

  alert(a: AlertRec): Record<string, unknown> {
    const incident = this.state.incidentById(a.incidentId)
    return {
      id: a.id,
      type: "alert",
      summary: a.summary,
      self: `${this.base}/incidents/${a.incidentId}/alerts/${a.id}`,
      html_url: `${this.html}/alerts/${a.id}`,
      created_at: iso(a.created_at),
      status: a.status,
      alert_key: a.alert_key,
      service: this.serviceRef(a.serviceId),
      severity: a.severity,
      suppressed: false,
      incident: incident === undefined ? null : this.incidentRef(incident),
      body: { type: "alert_body", contexts: [], details: a.details },
      integration: null
    }
  }

  changeEvent(c: ChangeEventRec): Record<string, unknown> {
    return {
      id: c.id,
      type: "change_event",
      summary: c.summary,
      timestamp: iso(c.timestamp),
      source: c.source,
      services: c.serviceIds.map((s) => ({ id: s, type: "service_reference" })),
      integration: null,
      custom_details: c.custom_details,
      links: c.links
    }
  }

  tag(t: TagRec): Record<string, unknown> {
    return { id: t.id, type: "tag", summary: t.label, self: `${this.base}/tags/${t.id}`, html_url: null, label: t.label }
  }

  priority(p: PriorityRec): Record<string, unknown> {
    return {
      id: p.id,
      type: "priority",
      summary: p.name,
      self: `${this.base}/priorities/${p.id}`,
      html_url: null,
      name: p.name,
      description: p.description,
      order: p.order,
      color: p.color,
      account_id: "PSIMACC"
    }
  }

  override(o: OverrideRec, fmt: (ms: number) => string): Record<string, unknown> {
    return { id: o.id, start: fmt(o.start), end: fmt(o.end), user: this.userRef(o.userId) }
  }

  auditRecord(a: AuditRecordRec): Record<string, unknown> {
    return {
      id: a.id,
      self: null,
      execution_time: iso(a.execution_time),
      execution_context: { request_id: null, remote_address: null },
      actors: a.actorUserId === null ? [] : [{ ...this.userRef(a.actorUserId), type: "user_reference" }],
      method: { type: "api_token", truncated_token: "sim-" },
      root_resource: { id: a.resourceId, type: `${a.resourceType.replace(/s$/, "")}_reference`, summary: a.resourceSummary, self: `${this.base}/${a.resourceType}/${a.resourceId}`, html_url: null },
      action: a.action,
      details: null
    }
  }

  alertGroupingSetting(s: AlertGroupingSettingRec): Record<string, unknown> {
    return {
      id: s.id,
      name: s.name,
      description: s.description,
      type: s.type,
      config: s.config,
      services: s.serviceIds.map((id) => ({ id, type: "service_reference" })),
      created_at: iso(s.created_at),
      updated_at: iso(s.updated_at)
    }
  }
}
