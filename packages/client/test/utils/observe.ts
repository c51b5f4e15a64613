/**
 * Capture what a program logs and traces, to assert that no secret reaches either.
 */
import { Effect, List, Logger, LogLevel, Tracer } from "effect"

export interface Captured {
  readonly logs: Array<string>
  readonly spans: Array<{ name: string; attributes: Map<string, unknown>; events: Array<string> }>
}

const recordingTracer = (captured: Captured): Tracer.Tracer =>
  Tracer.make({
    span(name, parent, context, links, startTime, kind) {
      const attributes = new Map<string, unknown>()
      const record = { name, attributes, events: [] as Array<string> }
      captured.spans.push(record)
      const span: Tracer.Span = {
        _tag: "Span",
        name,
        spanId: `span-${captured.spans.length}`,
        traceId: "trace-1",
        parent,
        context,
        status: { _tag: "Started", startTime },
        attributes,
        links: [...links],
        sampled: true,
        kind,
        end(endTime, exit) {
          ;(span as { status: Tracer.SpanStatus }).status = { _tag: "Ended", startTime, endTime, exit }
        },
        attribute(key, value) {
          attributes.set(key, value)
        },
        event(name, _startTime, attrs) {
          record.events.push(`${name} ${JSON.stringify(attrs ?? {})}`)
        },
        addLinks() {}
      }
      return span
    },
    context: (f) => f()
  })

/** Run `self` with a debug-level logger and a tracer that record everything into `captured`. */
export const observe = <A, E, R>(self: Effect.Effect<A, E, R>, captured: Captured) => {
  const logger = Logger.make(({ message, annotations, spans, cause }) => {
    const parts = [String(message)]
    for (const [k, v] of annotations) parts.push(`${k}=${String(v)}`)
    for (const s of List.toArray(spans)) parts.push(s.label)
    parts.push(String(cause))
    captured.logs.push(parts.join(" "))
  })
  return self.pipe(
    Effect.withTracer(recordingTracer(captured)),
    Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
    Logger.withMinimumLogLevel(LogLevel.All)
  )
}

export const everything = (captured: Captured): string =>
  [
    ...captured.logs,
    ...captured.spans.flatMap((s) => [s.name, ...s.events, ...[...s.attributes].map(([k, v]) => `${k}=${String(v)}`)])
  ].join("\n")

