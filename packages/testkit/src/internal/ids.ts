/**
 * PagerDuty-style 7-character ids. Seeded and created items get ids from their index, so an
 * id maps back to its index in O(1) and a generated incident can be found without a lookup
 * table. Each kind has its own prefix so ids never collide across collections.
 *
 * @internal
 */

export const PREFIX = {
  incident: "Q",
  user: "PU",
  team: "PT",
  service: "PV",
  escalationPolicy: "PE",
  schedule: "PC",
  layer: "PL",
  override: "PO",
  note: "PN",
  logEntry: "R",
  alert: "A",
  tag: "PG",
  priority: "PR",
  auditRecord: "AR",
  alertGroupingSetting: "PA",
  rule: "PX",
  changeEvent: "CE"
} as const

export type Kind = keyof typeof PREFIX

/** Encodes an index as an id of the kind: prefix plus base-36 digits, 7 characters. */
export const encode = (kind: Kind, index: number): string => {
  const prefix = PREFIX[kind]
  return prefix + index.toString(36).toUpperCase().padStart(7 - prefix.length, "0")
}

/** Decodes an id of the kind back to its index; `undefined` for a foreign id. */
export const decode = (kind: Kind, id: string): number | undefined => {
  const prefix = PREFIX[kind]
  if (!id.startsWith(prefix) || id.length !== 7) return undefined
  const digits = id.slice(prefix.length)
  if (!/^[0-9A-Z]+$/.test(digits)) return undefined
  return parseInt(digits, 36)
}
