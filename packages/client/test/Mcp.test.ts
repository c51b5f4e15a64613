import { assert, describe, it } from "@effect/vitest"
import { Simulator } from "@effect-pagerduty/testkit"
import { Effect, Redacted } from "effect"
import { Mcp } from "../src/index.js"
import * as Mock from "./utils/mock.js"

const sse = (text: string) => new Response(text, { status: 200, headers: { "content-type": "text/event-stream" } })

describe("Mcp", () => {
  it.effect("JSON-RPC request shape, Accept header, JSON response", () =>
    Effect.gen(function*() {
      const mcp = yield* Mcp.make({ auth: Redacted.make("u+MCP") })
      const response = yield* mcp.call("tools/list", undefined, { id: "req-1" })
      assert.deepStrictEqual(response, { jsonrpc: "2.0", id: "req-1", result: { tools: [] } })
      yield* mcp.call("tools/call", { name: "x" }, { id: 2 })
      const [first, second] = yield* Mock.recorded
      assert.strictEqual(first!.method, "POST")
      assert.strictEqual(first!.url, "https://mcp.pagerduty.com/mcp")
      assert.strictEqual(first!.headers["accept"], "application/json, text/event-stream")
      assert.strictEqual(first!.headers["authorization"], "Token token=u+MCP")
      assert.deepStrictEqual(JSON.parse(first!.body!), { jsonrpc: "2.0", id: "req-1", method: "tools/list" })
      assert.deepStrictEqual(JSON.parse(second!.body!), { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "x" } })
    }).pipe(Effect.provide(Mock.layer((req) => Mock.json({ jsonrpc: "2.0", id: JSON.parse(req.body!).id, result: { tools: [] } })))))

  it.effect("empty params are left out, as Python sends params only when truthy", () =>
    Effect.gen(function*() {
      const mcp = yield* Mcp.make({ auth: Redacted.make("u+MCP") })
      yield* mcp.call("tools/list", {}, { id: 1 })
      yield* mcp.call("tools/list", [], { id: 2 })
      yield* mcp.call("tools/list", null, { id: 3 })
      yield* mcp.call("tools/call", { name: "x", arguments: {} }, { id: 4 })
      yield* mcp.call("custom", [1], { id: 5 })
      const bodies = (yield* Mock.recorded).map((r) => JSON.parse(r.body!) as Record<string, unknown>)
      assert.deepStrictEqual(bodies.map((b) => "params" in b), [false, false, false, true, true])
      assert.deepStrictEqual(bodies[0], { jsonrpc: "2.0", id: 1, method: "tools/list" })
      assert.deepStrictEqual(bodies[3]!["params"], { name: "x", arguments: {} })
    }).pipe(Effect.provide(Mock.layer((req) => Mock.json({ jsonrpc: "2.0", id: JSON.parse(req.body!).id, result: {} })))))

  it.effect("SSE responses: multi-line data, comments, CRLF, the message with our id", () =>
    Effect.gen(function*() {
      const mcp = yield* Mcp.make({ auth: Redacted.make("u+MCP") })
      const response = yield* mcp.call("tools/call", { name: "x" }, { id: "abc" })
      assert.deepStrictEqual(response.result, { content: [{ type: "text", text: "hi" }] })
    }).pipe(
      Effect.provide(Mock.layer(() =>
        sse(
          ": keep-alive\r\n\r\nevent: message\r\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\"}\r\n\r\n" +
            "data: {\"jsonrpc\":\"2.0\",\"id\":\"abc\",\r\ndata: \"result\":{\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}}\r\n\r\n"
        )
      ))
    ))

  it.effect("JSON-RPC errors are McpError; a missing result or an empty stream is a ServerHttpError", () =>
    Effect.gen(function*() {
      const mcp = yield* Mcp.make({ auth: Redacted.make("u+MCP") })
      const error = yield* Effect.flip(mcp.call("nope", undefined, { id: 1 }))
      assert.strictEqual(error._tag, "McpError")
      if (error._tag === "McpError") {
        assert.strictEqual(error.code, -32601)
        assert.strictEqual(error.errorMessage, "Method not found")
        assert.strictEqual(error.message, "MCP nope: JSON-RPC error -32601: Method not found")
      }
      const missing = yield* Effect.flip(mcp.call("empty", undefined, { id: 2 }))
      assert.isTrue(missing._tag === "ServerHttpError" && missing.reason === "MissingWrapper")
      const noEvent = yield* Effect.flip(mcp.call("stream", undefined, { id: 3 }))
      assert.isTrue(noEvent._tag === "ServerHttpError" && noEvent.reason === "UnexpectedBody")
    }).pipe(
      Effect.provide(Mock.layer((req) => {
        const body = JSON.parse(req.body!) as { method: string; id: number }
        if (body.method === "nope") return Mock.json({ jsonrpc: "2.0", id: body.id, error: { code: -32601, message: "Method not found" } })
        if (body.method === "empty") return Mock.json({ jsonrpc: "2.0", id: body.id })
        return sse(": nothing\n\n")
      }))
    ))

  it.effect("against the simulator: a JSON answer (tools/list) and an SSE answer (tools/call)", () =>
    Effect.gen(function*() {
      const mcp = yield* Mcp.make({ auth: Redacted.make(Simulator.DEFAULT_API_KEY) })
      const tools = (yield* mcp.listTools) as Array<{ name: string }>
      assert.deepStrictEqual(tools.map((t) => t.name), ["list_incidents", "get_user"])
      const result = (yield* mcp.callTool("list_incidents", { status: "triggered" })) as { content: Array<{ text: string }> }
      const incidents = JSON.parse(result.content[0]!.text) as Array<{ status: string }>
      assert.isAbove(incidents.length, 0)
      assert.isTrue(incidents.every((i) => i.status === "triggered"))
      const unknown = yield* Effect.flip(mcp.callTool("nope"))
      assert.isTrue(unknown._tag === "McpError" && unknown.code === -32602)
    }).pipe(Effect.provide(Simulator.layer({ incidents: 20 }))))
})
