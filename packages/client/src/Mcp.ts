/**
 * PagerDuty's MCP server (`https://mcp.pagerduty.com`): JSON-RPC 2.0 over `POST /mcp`.
 * Responses may be plain JSON or a `text/event-stream` (Server-Sent Events) carrying the
 * JSON-RPC message: both are handled (python-pagerduty advertises SSE but fails on it).
 * A JSON-RPC `error` object becomes a typed {@link McpError}.
 *
 * @since 0.1.0
 */
import type { HttpClient } from "@effect/platform"
import { Array as Arr, Context, Data, Effect, Layer, Option, Schema } from "effect"
import * as ApiClient from "./ApiClient.js"
import * as McpTables from "./generated/McpTables.js"
import * as Integration from "./internal/integration.js"
import { parseSse } from "./internal/integrationSse.js"
import type { PagerDutyError, UrlError } from "./PagerDutyError.js"
import { isRecord } from "./internal/record.js"

/**
 * Options of {@link make}: `auth` is an API key (sent as `Token token=`) or any `Auth`
 * (e.g. an `OAuth.TokenSource`'s `auth`).
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import type { Mcp } from "@effect-pagerduty/client"
 *
 * const options: Mcp.Options = { auth: Redacted.make("u+key") }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends Integration.CommonOptions {}

/**
 * A successful JSON-RPC 2.0 response.
 *
 * @example
 * ```ts
 * import type { Mcp } from "@effect-pagerduty/client"
 *
 * const response: Mcp.JsonRpcResponse = { jsonrpc: "2.0", id: "1", result: { tools: [] } }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface JsonRpcResponse {
  readonly jsonrpc: "2.0"
  readonly id: string | number | null
  readonly result: unknown
}

/**
 * A JSON-RPC `error` object returned by the MCP server (the HTTP status was 2xx).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import type { Mcp } from "@effect-pagerduty/client"
 *
 * const orNull = <A, R>(self: Effect.Effect<A, Mcp.McpError, R>) =>
 *   Effect.catchTag(self, "McpError", (e) => (e.code === -32601 ? Effect.succeed(null) : Effect.fail(e)))
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class McpError extends Data.TaggedError("McpError")<{
  /** The JSON-RPC method called. */
  readonly method: string
  readonly id: string | number | null
  /** JSON-RPC error code (`-32601` method not found, `-32602` invalid params...). */
  readonly code: number
  readonly errorMessage: string
  readonly data?: unknown
}> {
  override get message(): string {
    return `MCP ${this.method}: JSON-RPC error ${this.code}: ${this.errorMessage}`
  }
}

/**
 * Options of one call.
 *
 * @example
 * ```ts
 * import type { Mcp } from "@effect-pagerduty/client"
 *
 * const options: Mcp.CallOptions = { id: 7 }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface CallOptions {
  /** The JSON-RPC id (default: a random UUID). */
  readonly id?: string | number | undefined
  readonly headers?: Readonly<Record<string, string>> | undefined
}

/**
 * The MCP client.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Mcp } from "@effect-pagerduty/client"
 *
 * const tools = Effect.flatMap(Mcp.McpService, (mcp: Mcp.Mcp) => mcp.listTools)
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Mcp {
  readonly api: ApiClient.ApiClient
  /** Call a JSON-RPC method (`params` sent when given). */
  readonly call: (method: string, params?: unknown, options?: CallOptions) => Effect.Effect<JsonRpcResponse, PagerDutyError | McpError>
  /** `tools/list`: the tools the server offers (its `result.tools`). */
  readonly listTools: Effect.Effect<ReadonlyArray<unknown>, PagerDutyError | McpError>
  /** `tools/call` with `{ name, arguments }`: the tool's `result`. */
  readonly callTool: (name: string, args?: Readonly<Record<string, unknown>>) => Effect.Effect<unknown, PagerDutyError | McpError>
}

/**
 * The tag of the MCP client.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Mcp } from "@effect-pagerduty/client"
 *
 * const incidents = Effect.flatMap(Mcp.McpService, (mcp) => mcp.callTool("list_incidents", { status: "triggered" }))
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class McpService extends Context.Tag("@effect-pagerduty/client/Mcp")<McpService, Mcp>() {}

const newId = (): string => globalThis.crypto.randomUUID()

/** A JSON-RPC object: an `id`, and a `result` (any value, `null` included) or an `error`. */
const RpcObject = Schema.Struct({
  id: Schema.optional(Schema.Unknown),
  result: Schema.optional(Schema.Unknown),
  error: Schema.optional(Schema.Unknown)
})

/** A JSON-RPC response in an event stream: one with a `result` or an `error` (not a notification). */
const RpcMessage = RpcObject.pipe(Schema.filter((m) => "result" in m || "error" in m))

/** A JSON-RPC error object; servers vary, so its fields are read leniently below. */
const RpcError = Schema.Struct({
  code: Schema.optional(Schema.Unknown),
  message: Schema.optional(Schema.Unknown),
  data: Schema.optional(Schema.Unknown)
})

const decodeRpc = Schema.decodeUnknownOption(RpcObject)
const decodeRpcJson = Schema.decodeUnknownOption(Schema.parseJson(RpcMessage))
const decodeRpcError = Schema.decodeUnknownOption(RpcError)
const decodeId = Schema.decodeUnknownOption(Schema.Union(Schema.String, Schema.Number))
const decodeNumber = Schema.decodeUnknownOption(Schema.Number)
const decodeString = Schema.decodeUnknownOption(Schema.String)

/** The request id of a message (`null` when absent or not a string or number). */
const idOf = (m: typeof RpcObject.Type): string | number | null => Option.getOrNull(decodeId(m.id))

/** The JSON-RPC responses of an event stream; comments, keep-alives and other JSON are skipped. */
const sseMessages = (text: string) => Arr.filterMap(parseSse(text), (event) => decodeRpcJson(event.data))

/** Python sends `params` only when truthy: absent, `null`, `{}` and `[]` are all left out. */
const isEmptyParams = (params: unknown): boolean =>
  params === undefined || params === null ||
  (Array.isArray(params) ? params.length === 0 : typeof params === "object" && Object.keys(params).length === 0)

/**
 * Build the client on the `HttpClient` in context.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { Mcp } from "@effect-pagerduty/client"
 *
 * const program = Effect.gen(function*() {
 *   const mcp = yield* Mcp.make({ auth: Redacted.make("u+key") })
 *   return yield* mcp.call("tools/list")
 * })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<Mcp, UrlError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const api = yield* ApiClient.make({
      name: "mcp",
      baseUrl: Integration.baseUrlOf(McpTables, options),
      auth: Integration.authOf(options.auth, "token"),
      permittedMethods: ["POST"],
      headers: { Accept: "application/json, text/event-stream" },
      retry: options.retry,
      timeout: options.timeout,
      transformClient: options.transformClient,
      canonicalPath: () => "/mcp"
    })

    const decode = (response: ApiClient.ApiResponse, method: string, id: string | number): Effect.Effect<JsonRpcResponse, PagerDutyError | McpError> =>
      Effect.gen(function*() {
        const contentType = (response.headers["content-type"] ?? "").toLowerCase()
        const decoded = contentType.includes("text/event-stream")
          ? Option.orElse(
            // the message answering our id, else any response (a server may renumber)
            Arr.findFirst(sseMessages(response.text), (m) => idOf(m) === id),
            () => Arr.head(sseMessages(response.text))
          )
          : decodeRpc(yield* ApiClient.parseJson(response))
        if (Option.isNone(decoded)) {
          return yield* ApiClient.unexpectedBody(
            response,
            "UnexpectedBody",
            contentType.includes("text/event-stream") ? "the event stream carried no JSON-RPC response" : "expected a JSON-RPC response object"
          )
        }
        const message = decoded.value
        // an `error` that is not an object is no JSON-RPC error: the message then needs a result
        const error = Option.filter(decodeRpcError(message.error), () => isRecord(message.error))
        if (Option.isSome(error)) {
          return yield* new McpError({
            method,
            id: idOf(message),
            code: Option.getOrElse(decodeNumber(error.value.code), () => 0),
            errorMessage: Option.getOrElse(decodeString(error.value.message), () => "unknown error"),
            ...(error.value.data === undefined ? {} : { data: error.value.data })
          })
        }
        if (!("result" in message)) {
          return yield* ApiClient.unexpectedBody(response, "MissingWrapper", `JSON-RPC response from PagerDuty did not include the expected "result" key.`)
        }
        return { jsonrpc: "2.0", id: idOf(message), result: message.result }
      })

    const call: Mcp["call"] = (method, params, callOptions) => {
      const id = callOptions?.id ?? newId()
      return api.requestOk({
        method: "POST",
        url: "/mcp",
        json: { jsonrpc: "2.0", id, method, ...(isEmptyParams(params) ? {} : { params }) },
        headers: callOptions?.headers
      }).pipe(
        Effect.flatMap((response) => decode(response, method, id)),
        Effect.withSpan("PagerDuty.mcp.call", { attributes: { "rpc.system": "jsonrpc", "rpc.method": method } })
      )
    }

    return McpService.of({
      api,
      call,
      listTools: Effect.map(call("tools/list"), (r) => (isRecord(r.result) && Array.isArray(r.result["tools"]) ? r.result["tools"] : [])),
      callTool: (name, args) => Effect.map(call("tools/call", { name, arguments: args ?? {} }), (r) => r.result)
    })
  })

/**
 * A layer providing {@link McpService}.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import { Mcp } from "@effect-pagerduty/client"
 *
 * const McpLive = Mcp.layer({ auth: Redacted.make("u+key"), region: "eu" })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<McpService, UrlError, HttpClient.HttpClient> =>
  Layer.effect(McpService, make(options))

/**
 * {@link layer} from `PAGERDUTY_API_KEY`, `PAGERDUTY_AUTH_TYPE`, `PAGERDUTY_REGION` and optional
 * `PAGERDUTY_MCP_BASE_URL`.
 *
 * @example
 * ```ts
 * import { Mcp } from "@effect-pagerduty/client"
 *
 * const McpLive = Mcp.layerConfig()
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (overrides: Omit<Options, "auth" | "region" | "baseUrl"> = {}) =>
  Layer.unwrapEffect(Effect.map(Integration.commonConfig("PAGERDUTY_MCP_BASE_URL"), (c) => layer({ ...overrides, ...c })))
