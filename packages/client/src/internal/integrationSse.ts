/**
 * A Server-Sent Events parser (WHATWG HTML §9.2.6) for complete response bodies: events are
 * separated by blank lines; `data:` lines are joined with `\n`; comments (`:`) are skipped;
 * CRLF, CR and LF line endings are all accepted.
 */

export interface SseEvent {
  readonly event: string
  readonly data: string
  readonly id: string | undefined
}

export const parseSse = (text: string): ReadonlyArray<SseEvent> => {
  const events: Array<SseEvent> = []
  let data: Array<string> = []
  let event = "message"
  let id: string | undefined
  const flush = () => {
    if (data.length > 0) events.push({ event, data: data.join("\n"), id })
    data = []
    event = "message"
  }
  for (const line of text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/)) {
    if (line === "") {
      flush()
      continue
    }
    if (line.startsWith(":")) continue
    const colon = line.indexOf(":")
    const field = colon === -1 ? line : line.slice(0, colon)
    let value = colon === -1 ? "" : line.slice(colon + 1)
    if (value.startsWith(" ")) value = value.slice(1)
    switch (field) {
      case "data":
        data.push(value)
        break
      case "event":
        event = value
        break
      case "id":
        id = value
        break
    }
  }
  flush()
  return events
}
