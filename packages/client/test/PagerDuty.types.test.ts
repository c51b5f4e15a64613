/**
 * Type-level tests of the typed API (checked by `tsc -b packages/client/tsconfig.test.json`;
 * each `@ts-expect-error` fails the type-check if the line compiles): result types, query enums
 * as closed literal unions, positional path parameters, bodies without their wrapper.
 */
import { describe, expectTypeOf, it } from "@effect/vitest"
import { Schema } from "effect"
import type { Effect, Stream } from "effect"
import * as RestSchemas from "../src/generated/RestSchemas.js"
import { PagerDuty } from "../src/index.js"
import type { RestApi } from "../src/index.js"

describe("typed API types", () => {
  it("listIncidents items have title: string; getIncident gives an Incident", () => {
    const incidents = PagerDuty.listIncidents({ statuses: ["triggered"] })
    expectTypeOf(incidents).toEqualTypeOf<Stream.Stream<RestSchemas.Incident, PagerDuty.StreamError, RestApi.RestApiService>>()
    expectTypeOf<Stream.Stream.Success<typeof incidents>["title"]>().toEqualTypeOf<string>()
    expectTypeOf<Stream.Stream.Success<typeof incidents>["id"]>().toEqualTypeOf<string>()
    expectTypeOf(PagerDuty.getIncident("P1")).toEqualTypeOf<Effect.Effect<RestSchemas.Incident, PagerDuty.OperationError, RestApi.RestApiService>>()
  })

  it("getUser gives a User; the service's methods need nothing", () => {
    expectTypeOf(PagerDuty.getUser("P1")).toEqualTypeOf<Effect.Effect<RestSchemas.User, PagerDuty.OperationError, RestApi.RestApiService>>()
    expectTypeOf<PagerDuty.Operations["getUser"]>().returns.toEqualTypeOf<Effect.Effect<RestSchemas.User, PagerDuty.OperationError>>()
    expectTypeOf<Effect.Effect.Success<ReturnType<PagerDuty.Operations["getUser"]>>["email"]>().toEqualTypeOf<string>()
  })

  it("pages and void results", () => {
    expectTypeOf(PagerDuty.listIncidentsPages()).toEqualTypeOf<Stream.Stream<PagerDuty.Page<RestSchemas.Incident>, PagerDuty.StreamError, RestApi.RestApiService>>()
    expectTypeOf(PagerDuty.deleteIncidentNote("P1", "N1")).toEqualTypeOf<Effect.Effect<void, PagerDuty.OperationError, RestApi.RestApiService>>()
  })

  it("wrong query enum values, wrong option names and missing path parameters are compile errors", () => {
    // @ts-expect-error "open" is not an incident status
    PagerDuty.listIncidents({ statuses: ["open"] })
    // @ts-expect-error statuses is a list
    PagerDuty.listIncidents({ statuses: "triggered" })
    // @ts-expect-error urgencies are "high" | "low"
    PagerDuty.listIncidents({ urgencies: ["urgent"] })
    // @ts-expect-error the incident id is required
    PagerDuty.getIncident()
    // @ts-expect-error two path parameters: incident id and note id
    PagerDuty.deleteIncidentNote("P1")
    // @ts-expect-error path parameters are strings
    PagerDuty.getUser(42)
    // @ts-expect-error include values are a closed list
    PagerDuty.getIncident("P1", { include: ["everything"] })
    // @ts-expect-error listNotifications requires since and until
    PagerDuty.listNotifications({})
    expectTypeOf(PagerDuty.listNotifications({ since: "2026-01-01", until: "2026-02-01" })).not.toBeAny()
  })

  it("bodies are the entity without its wrapper, typed from the spec", () => {
    PagerDuty.createIncident({ body: { type: "incident", title: "Disk full", service: { id: "PSVC", type: "service_reference" } } })
    // @ts-expect-error title is a string
    PagerDuty.createIncident({ body: { type: "incident", title: 42 } })
    // @ts-expect-error the body is an object, not a string
    PagerDuty.createIncident({ body: "incident" })
  })

  it("the deepest schema (IncidentWorkflow, explicitly typed by codegen) decodes with Context never", () => {
    const decode = Schema.decodeUnknownSync(RestSchemas.IncidentWorkflow)
    expectTypeOf<Schema.Schema.Context<typeof RestSchemas.IncidentWorkflow>>().toEqualTypeOf<never>()
    expectTypeOf(decode).returns.toEqualTypeOf<RestSchemas.IncidentWorkflow>()
    expectTypeOf<ReturnType<typeof decode>["id"]>().toEqualTypeOf<string | null | undefined>()
    expectTypeOf(decode({ id: "PWF1", extra: "kept" }).id).toEqualTypeOf<string | null | undefined>()
  })
})
